#pragma once
// One member of the chat-fanout benchmark as the measurement sees it: it joins the shared channel or room, sends a
// chat message whose text is a stamp, and reports the stamp of every chat message delivered to it. Each server
// under test (the `--peer`) has its own implementation, so one load generator, with one send schedule and one
// way of counting, drives every server and only the server differs between runs.
// Thread-safety: members live on the load generator's io_context thread; every call and callback happens there.
#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::bench {

struct fanout_member_events {
  std::function<void(std::int64_t stamp_ns)> on_delivery;
  // The server refused or reported a failure for one request; the member stays usable.
  std::function<void(const std::string& what)> on_error;
  // The connection is gone; the member sends and receives nothing more.
  std::function<void(const std::string& reason)> on_closed;
};

class fanout_member {
 public:
  virtual ~fanout_member() = default;
  // Connects, signs in if the server wants it and joins the channel or room; `done` gets the outcome.
  virtual void join(std::move_only_function<void(result<void>)> done) = 0;
  // Sends one chat message whose text is stamp_text(stamp_ns). Only after a successful join.
  virtual void send(std::int64_t stamp_ns) = 0;
};

// Makes the members of one run. Member 0 is made and has joined before any other is made: on some servers the
// first member creates the room the others then join by id.
class fanout_peer {
 public:
  virtual ~fanout_peer() = default;
  // The JSON line's "server" field.
  virtual std::string_view name() const = 0;
  virtual std::shared_ptr<fanout_member> make_member(unsigned index, fanout_member_events events) = 0;
};

// The chat text carries the send time (steady clock, ns) in decimal, so a delivery needs no other field and both
// ends of a latency are read from one clock.
inline std::string stamp_text(std::int64_t stamp_ns) { return std::to_string(stamp_ns); }

// nullopt for a text that is not a stamp (a message this run did not send).
inline std::optional<std::int64_t> parse_stamp(std::string_view text) {
  std::int64_t stamp = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), stamp);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return stamp;
}

}  // namespace guildhall::bench
