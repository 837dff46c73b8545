#include "base/refusals.hpp"

#include "base/metrics.hpp"

namespace guildhall {

namespace {

metrics::counter& refused() {
  static metrics::counter& made = metrics::default_registry().add_counter(
      "guildhall_refused_total", "Requests and connections turned away to protect the server, by reason.",
      {{"reason", {"rate_limited", "flooding", "unavailable", "ip_limit", "connection_cap"}}});
  return made;
}

}  // namespace

void count_refusal(refusal_reason reason) { refused().add(static_cast<std::size_t>(reason)); }

void register_refusal_metrics() { (void)refused(); }

}  // namespace guildhall
