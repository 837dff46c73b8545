#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace guildhall::services {

struct chat_config {
  std::size_t max_message_bytes = 2000;         // longer text is refused (INVALID_ARGUMENT)
  double messages_per_second = 10;              // per user (per shard): sustained rate of sends
  double message_burst = 20;                    // per user: how many may come at once before the rate applies
  std::uint32_t max_rate_limited_in_a_row = 50; // refusals in a row before the connection is closed (4005)
  std::size_t max_channels_per_connection = 100;
  std::uint32_t history_page_default = 50;
  std::uint32_t history_page_max = 100;
  std::int64_t presence_grace_ms = 60'000;      // a member back within this after going offline is ONLINE, not JOINED
  // A shard hands the messages of this many milliseconds to the database in one write: fewer wake-ups of the
  // database thread and fewer transactions under load. The sender's MessageAccepted waits up to this long (it
  // means "stored"); deliveries to members never wait for it. 0 hands each message over at once.
  std::uint32_t store_batch_ms = 5;

  result<void> validate() const {
    if (max_message_bytes == 0 || messages_per_second <= 0 || message_burst < 1 || history_page_max == 0) {
      return fail(errc::invalid_argument, "chat limits must be positive");
    }
    if (store_batch_ms > 1'000) return fail(errc::invalid_argument, "chat.store_batch_ms must be at most 1000");
    return {};
  }
};

// Who a request comes from, as the token said.
struct identity {
  std::uint64_t user_id = 0;
  std::string username;
};

}  // namespace guildhall::services
