#include "cli/session_login.hpp"

#include <sys/resource.h>

namespace guildhall::cli {

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

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace guildhall::cli
