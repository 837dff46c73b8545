// cli/chat_lines: what `guildhall chat` prints for messages, history and the prompt.
#include "cli/chat_lines.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace guildhall::cli {
namespace {

class ChatLines : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_tz_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_tz_) setenv("TZ", saved_tz_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
  std::optional<std::string> saved_tz_;
};

client::chat_message message(std::string channel, std::string from, std::string to, std::string text,
                             std::int64_t sent_at_ms = 0) {
  return {.channel = std::move(channel), .from_username = std::move(from), .to_username = std::move(to),
          .text = std::move(text), .sent_at_ms = sent_at_ms};
}

// 2026-12-01 12:04:05 UTC
constexpr std::int64_t kNoon = 1796126645000;

TEST_F(ChatLines, ChannelAndDirectMessages) {
  EXPECT_EQ(message_line(message("lobby", "ada", "", "hi"), "ada"), "[lobby] ada: hi");
  EXPECT_EQ(message_line(message("", "bob", "ada", "psst"), "ada"), "[dm] bob: psst");
}

// Issue 8: the echo of a DM one sent said "[dm] ada: hi", without whom it went to.
TEST_F(ChatLines, MyDirectMessageNamesItsRecipient) {
  EXPECT_EQ(message_line(message("", "ada", "bob", "hi"), "ada"), "[dm \u2192 bob] ada: hi");
}

// Issue 8: history lines looked like live ones, with no time.
TEST_F(ChatLines, HistoryLinesCarryTheirTime) {
  EXPECT_EQ(history_line(message("lobby", "ada", "", "hi", kNoon), "bob", kNoon + 3600'000), "12:04 [lobby] ada: hi");
  EXPECT_EQ(message_time(kNoon - 24 * 3600'000, kNoon), "Nov 30 12:04") << "another day says which";
}

TEST_F(ChatLines, PromptNamesTheChannel) { EXPECT_EQ(chat_prompt("lobby"), "#lobby> "); }

}  // namespace
}  // namespace guildhall::cli
