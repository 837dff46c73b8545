#include "server/server_metrics.hpp"

#include "base/metrics.hpp"
#include "base/refusals.hpp"
#include "net/net_metrics.hpp"
#include "server/version.hpp"
#include "services/service_metrics.hpp"
#include "store/store_metrics.hpp"
#include "wire/wire_metrics.hpp"

namespace guildhall::server {
namespace {

metrics::counter& http_requests() {
  static metrics::counter& made = metrics::default_registry().add_counter(
      "guildhall_http_requests_total", "HTTP requests answered, by route and status class.",
      {{"route", {"auth_register", "auth_login", "auth_guest", "auth_refresh", "auth_other", "healthz", "readyz",
                  "metrics", "leaderboards", "matches", "files", "other", "udp_connect_token"}},
       {"status", {"2xx", "3xx", "4xx", "5xx"}}});
  return made;
}

}  // namespace

http_route route_of(std::string_view path) {
  if (path == "/healthz") return http_route::healthz;
  if (path == "/readyz") return http_route::readyz;
  if (path == "/metrics") return http_route::metrics;
  if (path == "/v1/auth/register") return http_route::auth_register;
  if (path == "/v1/auth/login") return http_route::auth_login;
  if (path == "/v1/auth/guest") return http_route::auth_guest;
  if (path == "/v1/auth/refresh") return http_route::auth_refresh;
  if (path.starts_with("/v1/auth/")) return http_route::auth_other;
  if (path.starts_with("/v1/leaderboards/")) return http_route::leaderboards;
  if (path.starts_with("/v1/matches/")) return http_route::matches;
  if (path == "/v1/udp/connect-token") return http_route::udp_connect_token;
  if (path.starts_with("/v1/")) return http_route::other;
  return http_route::files;
}

net::http_responder counted(http_route route, net::http_responder respond) {
  return [route, respond = std::move(respond)](net::http_response response) mutable {
    const unsigned status = response.status;
    const std::size_t status_class = status >= 500 ? 3 : status >= 400 ? 2 : status >= 300 ? 1 : 0;
    auto& requests = http_requests();
    requests.add(requests.series({static_cast<std::size_t>(route), status_class}));
    respond(std::move(response));
  };
}

void register_metrics() {
  static const bool registered = [] {
    auto& build = metrics::default_registry().add_gauge(
        "guildhall_build_info", "Always 1; the label says which build is running.",
        {{"version", {std::string(version())}}});
    build.add(0, 1);
    (void)net::network_metrics();
    wire::register_wire_metrics();
    register_refusal_metrics();
    (void)http_requests();
    (void)services::services_metrics();
    (void)store::database_metrics();
    return true;
  }();
  (void)registered;
}

std::string metrics_text() {
  register_metrics();
  return metrics::default_registry().write_text();
}

}  // namespace guildhall::server
