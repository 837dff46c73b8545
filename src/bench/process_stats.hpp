#pragma once
// Another process's CPU time and resident memory, read from /proc, for the benchmarks.
namespace guildhall::bench {

struct process_stats {
  double cpu_seconds = 0;   // user + system
  double user_seconds = 0;  // user alone: the part the program's own code controls
  long rss_kb = 0;
};

process_stats read_process_stats(int pid);

}  // namespace guildhall::bench
