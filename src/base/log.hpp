#pragma once
#include <string_view>

#include "base/result.hpp"

namespace guildhall {

// Configures spdlog's default logger (stderr, with thread ids so shards can be told apart).
// Levels: trace, debug, info, warn, error, off.
result<void> setup_logging(std::string_view level);

}  // namespace guildhall
