#include "services/matchmaker/ticket.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace guildhall::services::matchmaking {
namespace {

bool name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

result<void> check_name(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > kMaxPropertyNameBytes || !std::ranges::all_of(name, name_character)) {
    return fail(errc::invalid_argument, std::string(what) + " names are 1.." + std::to_string(kMaxPropertyNameBytes) +
                                            " characters of [A-Za-z0-9_.-]: '" + std::string(name.substr(0, 40)) + "'");
  }
  return {};
}

result<void> check_value(std::string_view name, std::string_view value) {
  if (value.size() > kMaxPropertyValueBytes) {
    return fail(errc::invalid_argument, "the value of '" + std::string(name) + "' is longer than " +
                                            std::to_string(kMaxPropertyValueBytes) + " bytes");
  }
  return {};
}

result<void> check_counts(const ticket& candidate) {
  if (candidate.strings.size() > kMaxProperties || candidate.numbers.size() > kMaxProperties) {
    return fail(errc::invalid_argument, "at most " + std::to_string(kMaxProperties) + " string and " +
                                            std::to_string(kMaxProperties) + " numeric properties");
  }
  if (candidate.wants.equal.size() > kMaxQueryTerms || candidate.wants.ranges.size() > kMaxQueryTerms) {
    return fail(errc::invalid_argument, "a query has at most " + std::to_string(kMaxQueryTerms) +
                                            " string equalities and " + std::to_string(kMaxQueryTerms) + " numeric ranges");
  }
  return {};
}

result<void> check_properties(const ticket& candidate) {
  for (const auto& [name, value] : candidate.strings) {
    if (auto ok = check_name("property", name); !ok) return ok;
    if (auto ok = check_value(name, value); !ok) return ok;
  }
  for (const auto& [name, value] : candidate.numbers) {
    if (auto ok = check_name("property", name); !ok) return ok;
    if (!std::isfinite(value)) return fail(errc::invalid_argument, "property '" + name + "' is not a finite number");
  }
  return {};
}

result<void> check_query(const query& wants) {
  for (const auto& [name, value] : wants.equal) {
    if (auto ok = check_name("query", name); !ok) return ok;
    if (auto ok = check_value(name, value); !ok) return ok;
  }
  for (const auto& [name, range] : wants.ranges) {
    if (auto ok = check_name("query", name); !ok) return ok;
    const bool finite = std::isfinite(range.min) && std::isfinite(range.max) && std::isfinite(range.widen_per_second) &&
                        std::isfinite(range.max_widen);
    if (!finite || range.min > range.max) {
      return fail(errc::invalid_argument, "the range on '" + name + "' needs finite numbers with min <= max");
    }
    if (range.widen_per_second < 0 || range.max_widen < 0 || range.max_widen > kMaxWiden) {
      return fail(errc::invalid_argument, "the range on '" + name + "' widens by 0 or more, at most 1e9 on a side");
    }
  }
  return {};
}

result<void> check_party(const ticket& candidate, int room_seats) {
  if (candidate.min_count < 1 || candidate.min_count > candidate.max_count || candidate.max_count > room_seats) {
    return fail(errc::invalid_argument, "players per match must satisfy 1 <= min_count <= max_count <= " +
                                            std::to_string(room_seats) + " (the room's seats)");
  }
  const std::size_t largest = std::min<std::size_t>(kMaxPartySize, static_cast<std::size_t>(candidate.max_count));
  if (candidate.party.empty() || candidate.party.size() > largest) {
    return fail(errc::invalid_argument, "a party is 1.." + std::to_string(largest) + " players (max_count and at most " +
                                            std::to_string(kMaxPartySize) + ")");
  }
  std::set<std::uint64_t> seen;
  for (const auto& member : candidate.party) {
    if (member.user_id == 0 || !seen.insert(member.user_id).second) {
      return fail(errc::invalid_argument, "a party names each player once");
    }
  }
  return {};
}

}  // namespace

result<void> validate_ticket(const ticket& candidate, int room_seats) {
  if (candidate.room_type.empty() || candidate.room_type.size() > kMaxRoomTypeBytes) {
    return fail(errc::invalid_argument, "a room type is 1.." + std::to_string(kMaxRoomTypeBytes) + " bytes");
  }
  if (auto ok = check_counts(candidate); !ok) return ok;
  if (auto ok = check_properties(candidate); !ok) return ok;
  if (auto ok = check_query(candidate.wants); !ok) return ok;
  return check_party(candidate, room_seats);
}

double widening(const numeric_range& range, std::int64_t waited_ms) {
  if (waited_ms <= 0) return 0;
  return std::min(range.max_widen, range.widen_per_second * (static_cast<double>(waited_ms) / 1000.0));
}

bool accepts(const ticket& seeker, const ticket& other, std::int64_t now_ms) {
  for (const auto& [name, value] : seeker.wants.equal) {
    const auto it = other.strings.find(name);
    if (it == other.strings.end() || it->second != value) return false;
  }
  const std::int64_t waited_ms = now_ms - seeker.queued_at_ms;
  for (const auto& [name, range] : seeker.wants.ranges) {
    const auto it = other.numbers.find(name);
    if (it == other.numbers.end()) return false;
    const double widen = widening(range, waited_ms);
    if (it->second < range.min - widen || it->second > range.max + widen) return false;
  }
  return true;
}

}  // namespace guildhall::services::matchmaking
