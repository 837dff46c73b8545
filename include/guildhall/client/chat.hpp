#pragma once
// Chat values: what the chat operations answer and the chat events carry. Plain copies of the server's messages.
#include <cstdint>
#include <string>
#include <vector>

namespace guildhall::client {

struct channel_member {
  std::uint64_t user_id = 0;
  std::string username{};
};

// A channel line (channel set) or a direct message (channel empty, to_username set). Ids grow with time.
struct chat_message {
  std::uint64_t message_id = 0;
  std::string channel{};
  std::uint64_t from_user_id = 0;
  std::string from_username{};
  std::string to_username{};
  std::string text{};
  std::int64_t sent_at_ms = 0;  // Unix ms, server clock
};

struct presence_event {
  enum class kind : std::uint8_t { joined, left, offline, online };
  kind what = kind::joined;
  std::string channel{};
  channel_member member{};
};

struct channel_joined {
  std::string channel{};
  std::vector<channel_member> members{};  // everyone in it now, this player included
};

struct message_sent {
  std::uint64_t message_id = 0;
  std::int64_t sent_at_ms = 0;
};

// Newest first; pass next_before_id as before_id for the page before (0: this was the last page).
struct history_page {
  std::vector<chat_message> messages{};
  std::uint64_t next_before_id = 0;
};

}  // namespace guildhall::client
