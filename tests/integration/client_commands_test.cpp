// `guildhall chat` as a process, against addresses where something listens and never answers (issue 8: it printed
// nothing for over two minutes). The test owns the listeners; the chat must say what timed out, and exit 1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "guildhall_command.hpp"
#include "server_process.hpp"

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

TEST(ClientCommands, ChatGivesUpOnALoginNobodyAnswersAndSaysWhy) {
  mute_port http;
  const auto started = std::chrono::steady_clock::now();
  const auto run = run_guildhall({"chat", "--server", "ws://127.0.0.1:" + std::to_string(http.port()), "--user", "ada",
                                  "--timeout-ms", "500"},
                                 10s, command_input::silent);
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
                                 10s, command_input::silent);
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("cannot connect: no answer from 127.0.0.1:" + std::to_string(stream.port()) +
                            " within 500 ms"),
            std::string::npos)
      << run.output;
}

TEST(ClientCommands, ChatRefusesAServerUrlWithoutAKnownSchemeWithExitStatus2) {
  const auto run = run_guildhall({"chat", "--server", "http://127.0.0.1:9", "--user", "ada"}, 10s, command_input::silent);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("server URL must start with ws://"), std::string::npos) << run.output;
}

// The first run registers the account (the login through the SDK finds no such user); a later run with another
// password is refused as a wrong password, not registered again. The first run is stopped at its deadline.
TEST(ClientCommands, ChatRegistersOnFirstUseThenRefusesAWrongPassword) {
  server_process server;
  const std::string url = "ws://127.0.0.1:" + std::to_string(server.http_port());
  const auto first = run_guildhall({"chat", "--server", url, "--user", "ada", "--password", "correct horse"}, 5s, command_input::silent);
  EXPECT_NE(first.output.find("logged in as ada"), std::string::npos) << first.output;
  const auto wrong = run_guildhall({"chat", "--server", url, "--user", "ada", "--password", "wrong battery"}, 10s, command_input::silent);
  EXPECT_EQ(wrong.exit_status, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("login failed: wrong password for ada"), std::string::npos) << wrong.output;
}

}  // namespace
}  // namespace guildhall::testing
