#pragma once
// Protocol-level metrics: requests by type and errors by code, with label values taken from guildhall.proto
// itself (the Envelope oneof's field names, the ErrorCode names), so a new message or code is counted with no
// change here.
// Thread-safety: any thread (see base/metrics.hpp).
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::wire {

// One request received, by its Envelope body (field name, e.g. "send_message").
void count_request(v1::Envelope::BodyCase body);
// One Error sent, by its code (e.g. "RATE_LIMITED"). wire::make_error calls it: every error goes through there.
void count_error(v1::ErrorCode code);
// Registers the families, so a scrape lists them before the first request.
void register_wire_metrics();

}  // namespace guildhall::wire
