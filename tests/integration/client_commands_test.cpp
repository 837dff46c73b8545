// `guildhall chat` as a process, against addresses where something listens and never answers (issue 8: it printed
// nothing for over two minutes). The test owns the listeners; the chat must say what timed out, and exit 1.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <string>
#include <vector>

#include "server_process.hpp"

extern char** environ;

namespace guildhall::testing {
namespace {

using namespace std::chrono_literals;

// A loopback port that listens (the kernel completes handshakes into its backlog) and never reads or answers.
class mute_port {
 public:
  mute_port() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(fd_, 8) != 0) {
      throw std::runtime_error("listen failed");
    }
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~mute_port() { close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

struct finished_command {
  int exit_status = -1;  // -1: still running at the deadline (then killed)
  std::string output;    // stdout and stderr
};

// Runs the guildhall binary with `args`, its stdin an open pipe that never delivers a line (a person who types
// nothing), until it exits or `limit` passes.
finished_command run_guildhall(const std::vector<std::string>& args, std::chrono::milliseconds limit) {
  int input[2], output[2];
  if (pipe2(input, O_CLOEXEC) != 0 || pipe2(output, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
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
  close(input[0]);
  close(output[1]);
  if (spawned != 0) throw std::runtime_error("spawn failed");

  finished_command result;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) break;
    pollfd readable{output[0], POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(output[0], buffer, sizeof buffer);
    if (n <= 0) break;  // the process closed its output: it has ended
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) {
    // Not ended by the deadline: give it a moment (it may have just closed its output), then stop it.
    const auto grace = std::chrono::steady_clock::now() + 1s;
    while (waitpid(pid, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < grace) std::this_thread::sleep_for(10ms);
    if (waitpid(pid, &status, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      close(input[1]);
      close(output[0]);
      return result;
    }
  }
  close(input[1]);
  close(output[0]);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

TEST(ClientCommands, ChatGivesUpOnALoginNobodyAnswersAndSaysWhy) {
  mute_port http;
  const auto started = std::chrono::steady_clock::now();
  const auto run = run_guildhall({"chat", "--server", "ws://127.0.0.1:" + std::to_string(http.port()), "--user", "ada",
                                  "--timeout-ms", "500"},
                                 10s);
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("timed out after 500 ms"), std::string::npos) << run.output;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
}

TEST(ClientCommands, ChatGivesUpOnAStreamPortNobodyAnswersAndSaysWhy) {
  server_process server;  // logs in; the chat's stream connection then goes to the mute port
  mute_port stream;
  const auto run = run_guildhall({"chat", "--server",
                                  "tcp://127.0.0.1:" + std::to_string(stream.port()) +
                                      "?http_port=" + std::to_string(server.http_port()),
                                  "--user", "ada", "--timeout-ms", "500", "--request-timeout-ms", "500"},
                                 10s);
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("cannot connect: no answer from 127.0.0.1:" + std::to_string(stream.port()) +
                            " within 500 ms"),
            std::string::npos)
      << run.output;
}

TEST(ClientCommands, ChatRefusesAServerUrlWithoutAKnownSchemeWithExitStatus2) {
  const auto run = run_guildhall({"chat", "--server", "http://127.0.0.1:9", "--user", "ada"}, 10s);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("server URL must start with ws://"), std::string::npos) << run.output;
}

// The first run registers the account (the login through the SDK finds no such user); a later run with another
// password is refused as a wrong password, not registered again. The first run is stopped at its deadline.
TEST(ClientCommands, ChatRegistersOnFirstUseThenRefusesAWrongPassword) {
  server_process server;
  const std::string url = "ws://127.0.0.1:" + std::to_string(server.http_port());
  const auto first = run_guildhall({"chat", "--server", url, "--user", "ada", "--password", "correct horse"}, 5s);
  EXPECT_NE(first.output.find("logged in as ada"), std::string::npos) << first.output;
  const auto wrong = run_guildhall({"chat", "--server", url, "--user", "ada", "--password", "wrong battery"}, 10s);
  EXPECT_EQ(wrong.exit_status, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("login failed: wrong password for ada"), std::string::npos) << wrong.output;
}

}  // namespace
}  // namespace guildhall::testing
