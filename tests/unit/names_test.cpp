// services name and text validation: what users may choose, and the hostile strings that must be refused.
#include "services/names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace guildhall::services {
namespace {

void expect_invalid(const result<void>& got, errc code = errc::invalid_argument) {
  ASSERT_FALSE(got.has_value()) << "accepted";
  EXPECT_EQ(got.error().code, code);
  EXPECT_FALSE(got.error().message.empty());
}

TEST(Names, ValidUsernames) {
  for (const char* name : {"ada", "Ada", "bob_42", "x.y-z", "Z99", "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_TRUE(validate_username(name).has_value()) << name;
  }
}

TEST(Names, InvalidUsernames) {
  const std::string invalid[] = {
      "",
      "ab",                                    // too short
      std::string(33, 'a'),                    // too long
      "1abc",                                  // must start with a letter
      "_abc",
      ".abc",
      "-abc",
      "a b",
      "ada!",
      "ad@a",
      "ada\n",
      std::string("ad\0a", 4),
      "caf\xc3\xa9",                           // non-ASCII letters are not allowed
      "\xd0\xb0" "da",                          // Cyrillic a: a lookalike of "ada"
      "ada/../x",
      "ada;drop",
  };
  for (const auto& name : invalid) expect_invalid(validate_username(name));
}

TEST(Names, UsernameLengthBoundaries) {
  EXPECT_TRUE(validate_username(std::string(kMinUsernameBytes, 'a')).has_value());
  EXPECT_TRUE(validate_username(std::string(kMaxUsernameBytes, 'a')).has_value());
  expect_invalid(validate_username(std::string(kMinUsernameBytes - 1, 'a')));
  expect_invalid(validate_username(std::string(kMaxUsernameBytes + 1, 'a')));
}

TEST(Names, PasswordLengthBoundaries) {
  EXPECT_TRUE(validate_password(std::string(kMinPasswordBytes, 'p')).has_value());
  EXPECT_TRUE(validate_password(std::string(kMaxPasswordBytes, 'p')).has_value());
  expect_invalid(validate_password(""));
  expect_invalid(validate_password(std::string(kMinPasswordBytes - 1, 'p')));
  expect_invalid(validate_password(std::string(kMaxPasswordBytes + 1, 'p')));
  expect_invalid(validate_password(std::string(1 << 20, 'p')));
  EXPECT_TRUE(validate_password("p\xc3\xa4ssw\xc3\xb6rd").has_value());  // any bytes, only the length counts
}

TEST(Names, ChannelNames) {
  for (const char* name : {"lobby", "a", "1", "_", "team-1.chat", "Lobby_2"}) {
    EXPECT_TRUE(validate_channel_name(name).has_value()) << name;
  }
  EXPECT_TRUE(validate_channel_name(std::string(kMaxChannelNameBytes, 'c')).has_value());
  const std::string invalid[] = {
      "",
      std::string(kMaxChannelNameBytes + 1, 'c'),
      "#lobby",
      "lob by",
      "lobby\n",
      std::string("lob\0by", 6),
      "l\xc3\xb6" "bby",
      "../etc",
  };
  for (const auto& name : invalid) expect_invalid(validate_channel_name(name));
}

TEST(Names, DeviceIds) {
  EXPECT_TRUE(validate_device_id("device-0001").has_value());
  EXPECT_TRUE(validate_device_id("12345678").has_value());
  EXPECT_TRUE(validate_device_id(std::string(kMaxDeviceIdBytes, 'd')).has_value());
  const std::string invalid[] = {
      "",
      "1234567",                              // under 8
      std::string(kMaxDeviceIdBytes + 1, 'd'),
      "device id with spaces",
      "device:0001",
      "d\xc3\xa9vice-0001",
      std::string("device\0000001", 11),
  };
  for (const auto& id : invalid) expect_invalid(validate_device_id(id));
}

TEST(Names, TextLimits) {
  EXPECT_TRUE(validate_text("x", 10).has_value());
  EXPECT_TRUE(validate_text(std::string(10, 'x'), 10).has_value());
  expect_invalid(validate_text("", 10));
  expect_invalid(validate_text(std::string(11, 'x'), 10));
  // The limit is bytes, not characters: three euro signs are 9 bytes.
  EXPECT_TRUE(validate_text("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9).has_value());
  expect_invalid(validate_text("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 8));
}

TEST(Names, TextMayHoldAnyValidUtf8) {
  EXPECT_TRUE(validate_text("line one\nline two\ttab", 100).has_value());
  EXPECT_TRUE(validate_text("\xf0\x9f\x98\x80 emoji", 100).has_value());
}

TEST(Names, InvalidUtf8TextIsInvalidUtf8) {
  expect_invalid(validate_text("bad \xc0\xaf", 100), errc::invalid_utf8);
  expect_invalid(validate_text("\xed\xa0\x80", 100), errc::invalid_utf8);
  expect_invalid(validate_text("truncated \xe2\x82", 100), errc::invalid_utf8);
  expect_invalid(validate_text("\xff", 100), errc::invalid_utf8);
}

TEST(Names, DurationsReadInTheirLargestWholeUnit) {
  EXPECT_EQ(duration_text(86'400'000), "1 day");
  EXPECT_EQ(duration_text(2 * 86'400'000), "2 days");
  EXPECT_EQ(duration_text(36 * 3'600'000), "36 hours");
  EXPECT_EQ(duration_text(90 * 60'000), "90 minutes");
  EXPECT_EQ(duration_text(60'000), "1 minute");
  EXPECT_EQ(duration_text(1'000), "1 s");
  EXPECT_EQ(duration_text(250), "250 ms");
  EXPECT_EQ(duration_text(0), "0 ms");
}

// Regression: every refusal said only "time control out of range", leaving the player to guess the limit.
TEST(Names, ATimeControlOutOfRangeSaysTheAllowedRange) {
  constexpr std::int64_t day = 86'400'000;
  auto message = [](const result<void>& r) { return r ? std::string("accepted") : r.error().message; };
  EXPECT_EQ(message(validate_time_control(day + 1, 0, day, 60'000)),
            "time control out of range: the initial time is at most 1 day");
  EXPECT_EQ(message(validate_time_control(60'000, 60'001, day, 60'000)),
            "time control out of range: the increment is at most 1 minute");
  EXPECT_EQ(message(validate_time_control(0, 1'000, day, 60'000)),
            "time control out of range: an increment needs an initial time (0 means no clock)");
  EXPECT_TRUE(validate_time_control(day, 60'000, day, 60'000).has_value());
  EXPECT_TRUE(validate_time_control(0, 0, day, 60'000).has_value());
  expect_invalid(validate_time_control(day + 1, 0, day, 60'000), errc::invalid_argument);
}

}  // namespace
}  // namespace guildhall::services
