#pragma once
// A client connection (TCP or WebSocket), as the services see it. Transport details stay in net/.
// Thread-safety: a connection lives on one shard; every member but id()/shard()/format() must be called on that
// shard.
// Other shards hold shared_ptrs to it (channel members) and `post` to its shard to use it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wire/close_code.hpp"
#include "wire/codec.hpp"

namespace guildhall::net {

// What `send` did with a message. Backpressure is a return value: callers can stop producing for a connection
// that is closing.
enum class send_status : std::uint8_t {
  queued,
  closing,     // the connection is closing or closed; the message was dropped
  over_limit,  // the outbound queue passed its byte bound: the message was dropped and the connection is closing
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  virtual ~connection() = default;

  std::uint64_t id() const { return id_; }
  unsigned shard() const { return shard_; }

  // The format the client last used (WebSocket text frames mean JSON); the server answers in kind. Safe from any
  // thread, but off the connection's shard only a hint that may be stale: `send` converts a message encoded
  // without the JSON form the client switched to.
  virtual wire::payload_format format() const = 0;
  virtual send_status send(wire::shared_message message) = 0;
  // Sends state that only matters at its newest (a room's snapshot): if a message of the same non-zero `slot` is
  // still waiting unsent in the queue, this one takes its place instead of queueing behind it, so a slow reader
  // gets the latest state, not a backlog of stale ones. Never replaces a partly written message, never drops any
  // other message, and keeps the order of everything else.
  virtual send_status send_latest(wire::shared_message message, std::uint64_t slot) {
    (void)slot;
    return send(std::move(message));
  }
  // Sends Closing{code, reason}, flushes what is queued (drops it for slow readers) and closes.
  virtual void close(wire::close_code code, std::string_view reason) = 0;
  // Called once the client has authenticated: lifts the frame limit and swaps the auth deadline for the idle one.
  virtual void mark_authenticated() = 0;
  // The peer's address and port ("203.0.113.5:50124"), for log lines; empty when unknown.
  virtual std::string remote_address() const { return {}; }

 protected:
  connection(std::uint64_t id, unsigned shard) : id_(id), shard_(shard) {}

 private:
  std::uint64_t id_;
  unsigned shard_;
};

// A user the transport itself has authenticated: a UDP connection's connect token, sealed by this server, names
// the user it was issued to, so that client never sends Authenticate.
struct transport_identity {
  std::uint64_t user_id = 0;
  std::string username;
  std::int64_t expires_at_ms = 0;  // when the credential the transport checked expires (Unix ms); 0: none
};

// What the server layer plugs into each connection. Called on the connection's shard.
class connection_handler {
 public:
  virtual ~connection_handler() = default;
  // Before any on_frame, for a connection whose transport authenticated the user (transport_identity).
  virtual void on_authenticated_by_transport(const transport_identity& who) = 0;
  virtual void on_frame(std::string_view payload, wire::payload_format format) = 0;
  // The connection is closing (either side began it: nothing more will be read or sent) or gone; called exactly
  // once, after which no on_frame comes. Not called from inside on_frame.
  virtual void on_closed() = 0;
  // Who is on the connection, for its log lines (the line for its close); empty before authentication. Asked
  // rather than stored in the connection, which keeps an idle connection's footprint small.
  virtual std::string log_user() const { return {}; }
};

using handler_factory = std::function<std::unique_ptr<connection_handler>(std::shared_ptr<connection>)>;

struct connection_limits {
  std::size_t max_frame_bytes = 64 * 1024;            // after authentication; raise for large game payloads
  std::size_t max_unauthenticated_frame_bytes = 1024;  // before: an Authenticate is ~300 bytes
  std::size_t max_outbound_bytes = 4 * 1024 * 1024;   // a reader this far behind is closed (4006)
  std::uint32_t idle_timeout_ms = 60'000;             // silence after which the connection is closed (4001)
  std::uint32_t auth_timeout_ms = 10'000;             // time to authenticate after connecting (4003)
  std::uint32_t close_linger_ms = 2'000;              // how long a closing peer gets to read our last frames
  // A busy connection (messages at least twice per window) that wrote less than this long ago holds further
  // messages until the shard's next pacing tick, so it sends many messages per system call. Other connections
  // write at once. 0 disables.
  std::uint32_t write_batch_window_us = 5'000;
  // Concurrent WebSocket and TCP connections: in all (a server past it refuses with 3002), and from one client
  // address (4007), so one host cannot take every descriptor. 0 per address: no per-address limit (a load
  // generator on the same host).
  std::size_t max_connections = 20'000;
  std::size_t max_connections_per_ip = 256;
};

}  // namespace guildhall::net
