#include "cli/session_login.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <iostream>

namespace guildhall::cli {

namespace {

constexpr std::uint32_t kDeadAfterPings = 3;
constexpr std::uint32_t kMinDeadAfterMs = 10000;

}  // namespace

result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password,
                               std::uint32_t timeout_ms) {
  client::auth_call call = client::auth_call_to(url, {}, {}, timeout_ms);
  if (password.empty()) {
    call.action = "guest";
    call.request.set_device_id("cli-device-" + user);
    return client::call_auth(call);
  }
  call.action = "login";
  call.request.set_username(user);
  call.request.set_password(password);
  auto session = client::call_auth(call);
  if (session || session.error().code != errc::auth_failed) return session;
  call.action = "register";
  auto registered = client::call_auth(call);
  if (!registered && registered.error().code == errc::conflict) {
    return fail(errc::auth_failed, "wrong password for " + user);
  }
  return registered;
}

std::expected<signed_in, int> sign_in(const std::string& server, const std::string& user, const std::string& password,
                                      std::uint32_t timeout_ms, const client::tls_options& tls) {
  auto url = client::parse_server_url(server);
  if (!url) {
    std::cerr << url.error().message << "\n";
    return std::unexpected(2);
  }
  url->tls = tls;
  auto session = log_in(*url, user, password, timeout_ms);
  if (!session) {
    std::cerr << "login failed: " << session.error().message << "\n";
    return std::unexpected(1);
  }
  return signed_in{std::move(*url), std::move(*session)};
}

client::session_options session_options_from(const connection_flags& flags) {
  client::session_options options;
  options.connection.connect_timeout_ms = flags.timeout_ms;
  options.connection.handshake_timeout_ms = flags.timeout_ms;
  options.connection.request_timeout_ms = flags.request_timeout_ms;
  options.connection.ping_interval_ms = flags.ping_interval_ms;
  options.connection.dead_after_ms = std::max(kMinDeadAfterMs, kDeadAfterPings * flags.ping_interval_ms);
  options.login_timeout_ms = flags.timeout_ms;
  return options;
}

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace guildhall::cli
