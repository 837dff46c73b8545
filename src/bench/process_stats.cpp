#include "bench/process_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace guildhall::bench {

process_stats read_process_stats(int pid) {
  process_stats stats;
  if (pid <= 0) return stats;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  // Fields after the command name (which may hold spaces, so skip past its closing parenthesis): utime is the
  // 14th field and stime the 15th of the whole line.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stol(field);
    if (index == 15) {
      stime = std::stol(field);
      break;
    }
  }
  const auto ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  stats.cpu_seconds = static_cast<double>(utime + stime) / ticks_per_second;
  stats.user_seconds = static_cast<double>(utime) / ticks_per_second;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) stats.rss_kb = std::stol(line.substr(6));
  }
  return stats;
}

}  // namespace guildhall::bench
