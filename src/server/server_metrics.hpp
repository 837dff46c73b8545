#pragma once
// GET /metrics: every layer's families in the Prometheus text format, plus guildhall_build_info.
// Thread-safety: any thread.
#include <string>

namespace guildhall::server {

// Registers every layer's families, so the first scrape lists them all even before anything was counted.
void register_metrics();
// The exposition text (content type metrics::kContentType).
std::string metrics_text();

}  // namespace guildhall::server
