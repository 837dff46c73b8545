#pragma once
// Runs the guildhall binary (GUILDHALL_BINARY) as a process, as a person would from a shell, and collects what it
// printed: for tests of the client-side sub-commands (chat, play, bench).
#include <chrono>
#include <string>
#include <vector>

namespace guildhall::testing {

struct finished_command {
  int exit_status = -1;  // -1: still running at the deadline (then killed)
  std::string output;    // stdout and stderr
};

enum class command_input {
  none,    // /dev/null: a program that needs no input
  silent,  // an open pipe that never delivers a line: a person who types nothing
};

// Until the process exits or `limit` passes (then it gets a short grace to finish, and is killed).
finished_command run_guildhall(const std::vector<std::string>& args, std::chrono::milliseconds limit,
                               command_input input = command_input::none);

}  // namespace guildhall::testing
