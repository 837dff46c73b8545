#pragma once
// GET /metrics: every layer's families in the Prometheus text format, plus guildhall_build_info.
// Thread-safety: any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace guildhall::server {

// Series of the `route` label of guildhall_http_requests_total: a fixed set, never the path itself (a client
// chooses the path; labels must stay few).
enum class http_route : std::size_t {
  auth_register, auth_login, auth_guest, auth_refresh, auth_other,
  healthz, readyz, metrics, leaderboards, matches, files, other, udp_connect_token,
};
http_route route_of(std::string_view path);
// Wraps `respond` so that the answer is counted by route and status class (2xx..5xx) when it is sent.
net::http_responder counted(http_route route, net::http_responder respond);

// Registers every layer's families, so the first scrape lists them all even before anything was counted.
void register_metrics();
// The exposition text (content type metrics::kContentType).
std::string metrics_text();

}  // namespace guildhall::server
