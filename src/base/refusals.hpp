#pragma once
// Requests and connections the server turned away to protect itself, counted as
// guildhall_refused_total{reason}. Every layer can reach this file: a new refusal path adds its reason to the
// enum (and its name in refusals.cpp) and calls count_refusal at the one place it refuses.
// Thread-safety: any thread (see base/metrics.hpp).
#include <cstddef>

namespace guildhall {

enum class refusal_reason : std::size_t {
  rate_limited,    // a user's send budget was spent (RATE_LIMITED)
  flooding,        // a connection closed for staying past the rate limit (4005)
  unavailable,     // a bounded work queue was full (UNAVAILABLE)
  ip_limit,        // a per-address limit (HTTP login/register, connections per IP)
  connection_cap,  // the global connection cap
};

void count_refusal(refusal_reason reason);
// Registers the family, so a scrape lists it before the first refusal.
void register_refusal_metrics();

}  // namespace guildhall
