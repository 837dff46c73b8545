#include "cli/client_setup.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace guildhall::cli {

namespace {

constexpr std::uint32_t kDeadAfterPings = 3;
constexpr std::uint32_t kMinDeadAfterMs = 10000;
// The SDK's own failures start here (error.hpp); below are the server's answers.
constexpr auto kFirstLocalCode = client::client_errc::connection_refused;

std::expected<client::transport_preference, std::string> transport_of(const std::string& server) {
  using transport = client::transport_preference;
  static constexpr std::pair<std::string_view, transport> kSchemes[] = {
      {"ws://", transport::websocket}, {"wss://", transport::websocket}, {"tcp://", transport::tcp},
      {"tls://", transport::tcp},      {"udp://", transport::automatic}, {"udps://", transport::automatic}};
  for (const auto& [prefix, kind] : kSchemes) {
    if (server.starts_with(prefix)) return kind;
  }
  return std::unexpected("server URL must start with ws://, wss://, tcp://, tls://, udp:// or udps://");
}

}  // namespace

std::expected<client::client_options, std::string> client_options_from(const std::string& server,
                                                                        const connection_flags& flags,
                                                                        const tls_flags& tls) {
  auto transport = transport_of(server);
  if (!transport) return std::unexpected(transport.error());
  client::client_options options{.server_url = server, .transport = *transport};
  options.tls_ca_file = tls.ca_file;
  options.tls_insecure = tls.insecure;
  options.connect_timeout_ms = flags.timeout_ms;
  options.handshake_timeout_ms = flags.timeout_ms;
  options.login_timeout_ms = flags.timeout_ms;
  options.request_timeout_ms = flags.request_timeout_ms;
  options.ping_interval_ms = flags.ping_interval_ms;
  options.dead_after_ms = std::max(kMinDeadAfterMs, kDeadAfterPings * flags.ping_interval_ms);
  if (auto valid = client::validate(options); !valid) return std::unexpected(valid.error().message);
  return options;
}

void log_in(client::client& net, const std::string& user, const std::string& password,
            client::callback<client::login_session> done) {
  if (password.empty()) return net.login_guest("cli-device-" + user, std::move(done));
  net.login(user, password, [&net, user, password, done = std::move(done)](auto session) mutable {
    if (session || session.error().code != client::client_errc::auth_failed) return done(std::move(session));
    // No such account yet (or a wrong password): register; a taken name then means the password was wrong.
    net.register_account(user, password, [user, done = std::move(done)](auto registered) mutable {
      if (!registered && registered.error().code == client::client_errc::username_taken) {
        return done(std::unexpected(
            client::client_error{.code = client::client_errc::auth_failed, .message = "wrong password for " + user}));
      }
      done(std::move(registered));
    });
  });
}

int login_exit_code(const client::client_error& error) {
  return error.code == client::client_errc::invalid_options ? 2 : 1;
}

std::string describe_error(const client::client_error& error) {
  if (error.code >= kFirstLocalCode) return "not done: " + error.message;
  std::string name(client::to_string(error.code));
  std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name + ": " + error.message;
}

std::string describe_retry(const client::connection_event& event) {
  const auto seconds = std::max<long long>(1, std::llround(static_cast<double>(event.retry_in.count()) / 1000.0));
  const std::string when = std::to_string(seconds) + " s\u2026";
  if (event.attempt == 1) return "connection lost (" + event.error.message + "), reconnecting in " + when;
  return "still no connection (" + event.error.message + "), retrying in " + when;
}

}  // namespace guildhall::cli
