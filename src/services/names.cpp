#include "services/names.hpp"

#include <algorithm>
#include <string>

#include "wire/utf8.hpp"

namespace guildhall::services {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

}  // namespace

result<void> validate_username(std::string_view name) {
  if (name.size() < kMinUsernameBytes || name.size() > kMaxUsernameBytes || !std::ranges::all_of(name, is_name_char) ||
      !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'))) {
    return fail(errc::invalid_argument, "username must be 3..32 characters of A-Z a-z 0-9 _ . -, starting with a letter");
  }
  return {};
}

result<void> validate_password(std::string_view password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return fail(errc::invalid_argument, "password must be 8..128 bytes");
  }
  return {};
}

result<void> validate_channel_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxChannelNameBytes || !std::ranges::all_of(name, is_name_char)) {
    return fail(errc::invalid_argument, "channel name must be 1..64 characters of A-Z a-z 0-9 _ . -");
  }
  return {};
}

result<void> validate_device_id(std::string_view device_id) {
  if (device_id.size() < 8 || device_id.size() > kMaxDeviceIdBytes || !std::ranges::all_of(device_id, is_name_char)) {
    return fail(errc::invalid_argument, "device_id must be 8..128 characters of A-Z a-z 0-9 _ . -");
  }
  return {};
}

result<void> validate_text(std::string_view text, std::size_t max_bytes) {
  if (!wire::is_valid_utf8(text)) return fail(errc::invalid_utf8, "text is not valid UTF-8");
  if (text.empty() || text.size() > max_bytes) {
    return fail(errc::invalid_argument, "text must be 1.." + std::to_string(max_bytes) + " bytes");
  }
  return {};
}

std::string duration_text(std::int64_t ms) {
  struct unit {
    std::int64_t ms;
    const char* one;
    const char* many;
  };
  constexpr unit units[] = {{86'400'000, "day", "days"}, {3'600'000, "hour", "hours"}, {60'000, "minute", "minutes"},
                            {1'000, "s", "s"}};
  for (const auto& [size, one, many] : units) {
    if (ms != 0 && ms % size == 0) return std::to_string(ms / size) + " " + (ms == size ? one : many);
  }
  return std::to_string(ms) + " ms";
}

result<void> validate_time_control(std::uint64_t initial_ms, std::uint64_t increment_ms, std::int64_t max_initial_ms,
                                   std::int64_t max_increment_ms) {
  const std::string prefix = "time control out of range: ";
  if (initial_ms > static_cast<std::uint64_t>(max_initial_ms)) {
    return fail(errc::invalid_argument, prefix + "the initial time is at most " + duration_text(max_initial_ms));
  }
  if (increment_ms > static_cast<std::uint64_t>(max_increment_ms)) {
    return fail(errc::invalid_argument, prefix + "the increment is at most " + duration_text(max_increment_ms));
  }
  if (initial_ms == 0 && increment_ms != 0) {
    return fail(errc::invalid_argument, prefix + "an increment needs an initial time (0 means no clock)");
  }
  return {};
}

}  // namespace guildhall::services
