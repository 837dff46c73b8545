#pragma once
// Validation of the names users choose. Every check returns a message fit to show the user.
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

}  // namespace guildhall::services
