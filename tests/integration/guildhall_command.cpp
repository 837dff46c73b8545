#include "guildhall_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

extern char** environ;

namespace guildhall::testing {

using namespace std::chrono_literals;

namespace {

// Reads the process's output until it closes it (it has ended) or `deadline` passes.
void read_until(int fd, std::chrono::steady_clock::time_point deadline, std::string& out) {
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return;
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

// The exit status, after a short grace for a process that has just closed its output; -1 when it had to be killed.
int reap(pid_t pid) {
  int status = 0;
  const auto grace = std::chrono::steady_clock::now() + 2s;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > grace) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(10ms);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

finished_command run_guildhall(const std::vector<std::string>& args, std::chrono::milliseconds limit,
                               command_input input) {
  int in[2] = {-1, -1}, output[2];
  if (pipe2(output, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (input == command_input::silent && pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (input == command_input::silent) {
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output[1], STDERR_FILENO);
  std::vector<std::string> all = {GUILDHALL_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (in[0] >= 0) close(in[0]);
  close(output[1]);
  if (spawned != 0) throw std::runtime_error("spawn failed");

  finished_command result;
  read_until(output[0], std::chrono::steady_clock::now() + limit, result.output);
  result.exit_status = reap(pid);
  if (in[1] >= 0) close(in[1]);
  close(output[0]);
  return result;
}

}  // namespace guildhall::testing
