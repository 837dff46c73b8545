#pragma once
// A room's label: the flat JSON object a game sets for listings ({"map":"yard","mode":"ffa","players":3}), kept
// as text for the wire and as top-level fields for filters. Parsing is strict and bounded: the label comes from
// game code, but a filter's values come from clients.
// Pure. Thread-safety: none needed (values).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace guildhall::services {

inline constexpr std::size_t kMaxLabelBytes = 2048;
inline constexpr std::size_t kMaxLabelFilterFields = 8;

// Top-level field name -> value: strings unescaped, numbers, true, false and null as written. Nested objects and
// arrays are kept as their JSON text (a filter can match them only by that text).
using label_fields = std::map<std::string, std::string, std::less<>>;

// nullopt unless `json` is one JSON object of at most kMaxLabelBytes ("{}" is fine).
std::optional<label_fields> parse_label(std::string_view json);

// True when every filter entry equals the field of that name.
bool label_matches(const label_fields& label, const std::map<std::string, std::string, std::less<>>& filter);

}  // namespace guildhall::services
