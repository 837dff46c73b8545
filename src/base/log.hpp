#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall {

// Configures spdlog's default logger on stderr. Levels: trace, debug, info, warn, error, off.
// Formats: "text" (a timestamp, the level and the thread id, so shards can be told apart) or "json": one object
// per line, {"time":"2026-12-01T04:22:04.123456Z","level":"info","thread":123,"msg":"..."}, with the time in
// UTC and the message escaped, for log shippers that parse lines.
result<void> setup_logging(std::string_view level, std::string_view format = "text");

// Text a client chose (a username that failed to log in), made safe for a log line: control characters, quotes
// and backslashes escaped, so it can forge no line of its own, and cut to `max_bytes` with "...".
std::string printable(std::string_view text, std::size_t max_bytes = 64);

}  // namespace guildhall
