#include "server/server_metrics.hpp"

#include "base/metrics.hpp"
#include "base/refusals.hpp"
#include "net/net_metrics.hpp"
#include "server/version.hpp"
#include "services/service_metrics.hpp"
#include "store/store_metrics.hpp"
#include "wire/wire_metrics.hpp"

namespace guildhall::server {

void register_metrics() {
  static const bool registered = [] {
    auto& build = metrics::default_registry().add_gauge(
        "guildhall_build_info", "Always 1; the label says which build is running.",
        {{"version", {std::string(version())}}});
    build.add(0, 1);
    (void)net::network_metrics();
    wire::register_wire_metrics();
    register_refusal_metrics();
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
