#include "bench/sdk_setup.hpp"

#include <cstdio>

namespace guildhall::bench {
namespace sdk = guildhall::client;

std::optional<sdk::client_options> sdk_options(const bench_options& options) {
  return sdk_options(options.server, options.tls);
}

std::optional<sdk::client_options> sdk_options(const std::string& server, const sdk::tls_options& tls) {
  auto url = sdk::parse_server_url(server);
  if (!url) {
    std::fprintf(stderr, "%s\n", url.error().message.c_str());
    return std::nullopt;
  }
  using scheme = sdk::server_url::scheme;
  sdk::client_options out;
  out.server_url = server;
  out.transport = url->kind == scheme::udp   ? sdk::transport_preference::udp
                  : url->kind == scheme::tcp ? sdk::transport_preference::tcp
                                             : sdk::transport_preference::websocket;
  out.tls_ca_file = tls.ca_file;
  out.tls_insecure = tls.insecure;
  out.reconnection.enabled = false;
  return out;
}

void sign_in(sdk::client& client, const std::string& device, std::function<void(result<void>)> done) {
  client.login_guest(device, [&client, done = std::move(done)](sdk::client_result<sdk::login_session> in) {
    if (!in) return done(fail(errc::auth_failed, said(in.error(), "login")));
    client.connect([done](sdk::client_result<sdk::connected_info> connected) {
      if (!connected) return done(fail(errc::internal, said(connected.error(), "connect")));
      done({});
    });
  });
}

std::string said(const sdk::client_error& error, std::string_view what) {
  return std::string(what) + ": " + std::string(sdk::to_string(error.code)) + " (" + error.message + ")";
}

}  // namespace guildhall::bench
