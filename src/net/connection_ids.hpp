#pragma once
// Connection ids, unique across every transport of the process (TCP, WebSocket, UDP): services key their
// per-connection state by them.
#include <cstdint>

namespace guildhall::net {

// Thread-safe.
std::uint64_t next_connection_id();

}  // namespace guildhall::net
