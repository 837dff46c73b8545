// Ports: a server owns its ports. A second server on a port that is taken, or a configuration that gives two
// of our listeners one port, refuses to start and says why.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "blocking_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

struct finished_run {
  bool exited = false;  // false: still running at the deadline (then killed)
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `guildhall serve` with `args` on a fresh data folder until it exits or `timeout` passes.
finished_run run_serve(std::vector<std::string> args, std::chrono::milliseconds timeout = 20s) {
  const std::string data = make_temp_dir("guildhall-ports");
  const std::string output_path = data + "/output.txt";
  args.insert(args.begin(), {GUILDHALL_BINARY, "serve", "--data", data, "--host", "127.0.0.1"});
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  finished_run run;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      run.exited = true;
      run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  if (!run.exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  std::ifstream in(output_path);
  std::stringstream text;
  text << in.rdbuf();
  run.output = text.str();
  std::error_code ignored;
  std::filesystem::remove_all(data, ignored);
  return run;
}

// Regression: the second server bound with SO_REUSEPORT too, printed "ready", and the kernel split new
// connections between the two processes and their two databases.
TEST(Ports, ASecondServerOnATakenPortRefusesToStartAndNamesThePort) {
  server_process first;
  const std::pair<std::string, std::uint16_t> taken_ports[] = {
      {"--http-port", first.http_port()}, {"--tcp-port", first.tcp_port()}, {"--udp-port", first.udp_port()}};
  for (const auto& [flag, taken] : taken_ports) {
    std::vector<std::string> args = {"--http-port", "0", "--tcp-port", "0", "--udp-port", "0"};
    for (std::size_t i = 0; i < args.size(); i += 2) {
      if (args[i] == flag) args[i + 1] = std::to_string(taken);
    }
    const auto second = run_serve(args);
    ASSERT_TRUE(second.exited) << "the second server started on " << flag << " " << taken << ":\n" << second.output;
    EXPECT_NE(second.status, 0);
    EXPECT_NE(second.output.find("port " + std::to_string(taken) + " is in use"), std::string::npos) << second.output;
  }
  // The first server still answers on both ports.
  blocking_client client(transport::tcp, first.tcp_port());
  EXPECT_TRUE(client.authenticate(guest_token(first.http_port(), "device-first")).has_authenticated());
}

TEST(Ports, TwoOfOurOwnPortsSetEqualIsAConfigurationError) {
  const auto run = run_serve({"--http-port", "9757", "--tcp-port", "9757", "--udp-port", "0"});
  ASSERT_TRUE(run.exited) << run.output;
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.output.find("http_port and tcp_port are both 9757"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace guildhall::testing
