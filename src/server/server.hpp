#pragma once
// Wires the layers together for `guildhall serve`: database, services, transports; then runs until SIGINT or
// SIGTERM and drains: clients are told (3001), queues flushed, the database closed after its last write.
#include "base/result.hpp"
#include "server/config.hpp"

namespace guildhall::server {

// What `run_server` does first, before it starts any thread: sodium_init. An error means the server must not start.
result<void> initialize_libraries();

// Blocks until a stop signal; returns an error if the server could not start.
result<void> run_server(const server_config& config);

}  // namespace guildhall::server
