#pragma once
// Validation of the names users choose. Every check returns a message fit to show the user.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::services {

constexpr std::size_t kMinUsernameBytes = 3;
constexpr std::size_t kMaxUsernameBytes = 32;
constexpr std::size_t kMinPasswordBytes = 8;
constexpr std::size_t kMaxPasswordBytes = 128;  // argon2 would take more, but a longer one is an attack, not a password
constexpr std::size_t kMaxChannelNameBytes = 64;
constexpr std::size_t kMaxDeviceIdBytes = 128;

result<void> validate_username(std::string_view name);
result<void> validate_password(std::string_view password);
result<void> validate_channel_name(std::string_view name);
result<void> validate_device_id(std::string_view device_id);
// Valid UTF-8 of 1..max_bytes bytes.
result<void> validate_text(std::string_view text, std::size_t max_bytes);
// A duration for people, in the largest unit that divides it: "1 day", "36 hours", "60 s", "250 ms". Range
// errors use it so that a limit reads the way it was meant ("at most 1 day", not "at most 86400000").
std::string duration_text(std::int64_t ms);
// A match's time control, in milliseconds: initial 0 means no clock (and then no increment either).
result<void> validate_time_control(std::uint64_t initial_ms, std::uint64_t increment_ms, std::int64_t max_initial_ms,
                                   std::int64_t max_increment_ms);

}  // namespace guildhall::services
