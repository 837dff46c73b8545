#include "base/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace guildhall {

result<void> setup_logging(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return fail(errc::invalid_argument, "unknown log level '" + std::string(level) + "'");
  }
  auto logger = spdlog::stderr_color_mt("guildhall");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [t%t] %v");
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace guildhall
