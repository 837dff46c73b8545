#include "cli/session_login.hpp"

#include <sys/resource.h>

#include <iostream>

namespace guildhall::cli {

result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password) {
  v1::AuthRequest request;
  if (password.empty()) {
    request.set_device_id("cli-device-" + user);
    return client::call_auth(url, "guest", request);
  }
  request.set_username(user);
  request.set_password(password);
  auto session = client::call_auth(url, "login", request);
  if (session || session.error().code != errc::auth_failed) return session;
  auto registered = client::call_auth(url, "register", request);
  if (!registered && registered.error().code == errc::conflict) {
    return fail(errc::auth_failed, "wrong password for " + user);
  }
  return registered;
}

std::expected<signed_in, int> sign_in(const std::string& server, const std::string& user, const std::string& password,
                                      const client::tls_options& tls) {
  auto url = client::parse_server_url(server);
  if (!url) {
    std::cerr << url.error().message << "\n";
    return std::unexpected(2);
  }
  url->tls = tls;
  auto session = log_in(*url, user, password);
  if (!session) {
    std::cerr << "login failed: " << session.error().message << "\n";
    return std::unexpected(1);
  }
  return signed_in{std::move(*url), std::move(*session)};
}

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace guildhall::cli
