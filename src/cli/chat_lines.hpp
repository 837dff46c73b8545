#pragma once
// What `guildhall chat` prints for a message, pure (tests/unit/chat_lines_test.cpp):
//   live        [lobby] ada: hi              [dm] bob: psst          [dm → bob] ada: psst (my own DM's echo)
//   history     12:04 [lobby] ada: hi        (a day other than today: Nov 30 12:04 [lobby] ada: hi)
// and the prompt that names where a typed line goes ("#lobby> ").
#include <cstdint>
#include <string>
#include <string_view>

#include <guildhall/client.hpp>

namespace guildhall::cli {

// Between the history shown on joining (or on coming back) and the live messages that follow.
inline constexpr std::string_view kLiveSeparator = "------------------------------ live ------------------------------";

// `sent_at_ms` in local time: "12:04" on the day of `now_ms`, "Nov 30 12:04" before.
std::string message_time(std::int64_t sent_at_ms, std::int64_t now_ms);

// A message as a line. `me` is our username: a direct message we sent names its recipient.
std::string message_line(const client::chat_message& message, std::string_view me);
// The same, stamped with its time: for history, where the time is the news.
std::string history_line(const client::chat_message& message, std::string_view me, std::int64_t now_ms);

std::string chat_prompt(std::string_view channel);

}  // namespace guildhall::cli
