#pragma once
// GET /metrics from the server under test, blocking: called at the edges of a measured window, where the few
// milliseconds it takes are outside what is measured.
// Thread-safety: any thread; uses its own io_context.
#include <string>

#include "base/result.hpp"
#include "client/server_url.hpp"

namespace guildhall::bench {

// The body of http://HOST:HTTP_PORT/metrics for `server`'s host and HTTP port. Errors: a TLS server (https is not
// spoken here; the caller falls back to what it can count itself), a failed connection, a status other than 200,
// or a body over 4 MB.
result<std::string> fetch_metrics(const client::server_url& server);

}  // namespace guildhall::bench
