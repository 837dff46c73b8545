#include "cli/session_login.hpp"

#include <sys/resource.h>

namespace guildhall::cli {

result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password) {
  v1::AuthRequest request;
  if (password.empty()) {
    request.set_device_id("cli-device-" + user);
    return client::call_auth(url.host, url.http_port, "guest", request);
  }
  request.set_username(user);
  request.set_password(password);
  auto session = client::call_auth(url.host, url.http_port, "login", request);
  if (session || session.error().code != errc::auth_failed) return session;
  auto registered = client::call_auth(url.host, url.http_port, "register", request);
  if (!registered && registered.error().code == errc::conflict) {
    return fail(errc::auth_failed, "wrong password for " + user);
  }
  return registered;
}

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace guildhall::cli
