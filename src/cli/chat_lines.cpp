#include "cli/chat_lines.hpp"

#include <ctime>

namespace guildhall::cli {

namespace {

std::tm local_time(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm parts{};
  localtime_r(&seconds, &parts);
  return parts;
}

}  // namespace

std::string message_time(std::int64_t sent_at_ms, std::int64_t now_ms) {
  const std::tm sent = local_time(sent_at_ms);
  const std::tm now = local_time(now_ms);
  const bool today = sent.tm_year == now.tm_year && sent.tm_yday == now.tm_yday;
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, today ? "%H:%M" : "%b %d %H:%M", &sent);
  return std::string(text, length);
}

std::string message_line(const client::chat_message& message, std::string_view me) {
  std::string where;
  if (!message.channel.empty()) {
    where = message.channel;
  } else if (message.from_username == me && !message.to_username.empty()) {
    where = "dm \u2192 " + message.to_username;
  } else {
    where = "dm";
  }
  return "[" + where + "] " + message.from_username + ": " + message.text;
}

std::string history_line(const client::chat_message& message, std::string_view me, std::int64_t now_ms) {
  return message_time(message.sent_at_ms, now_ms) + " " + message_line(message, me);
}

std::string chat_prompt(std::string_view channel) { return "#" + std::string(channel) + "> "; }

}  // namespace guildhall::cli
