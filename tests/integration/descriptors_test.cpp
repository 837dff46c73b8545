// File descriptors: what a child process inherits (nothing but its pipes), and what the server does when it runs
// out of them (backs off, logs once, accepts again later) instead of spinning.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "match_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

namespace fs = std::filesystem;

std::string link_target(const fs::path& link) {
  std::error_code ec;
  const auto target = fs::read_symlink(link, ec);
  return ec ? std::string() : target.string();
}

// The process's descriptors: number -> what /proc says it is ("socket:[123]", "pipe:[45]", a path).
std::map<int, std::string> descriptors_of(pid_t pid) {
  std::map<int, std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    found[std::stoi(entry.path().filename().string())] = link_target(entry.path());
  }
  return found;
}

bool is_close_on_exec(pid_t pid, int fd) {
  std::ifstream info("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
  std::string key;
  while (info >> key) {
    if (key == "flags:") {
      std::string octal;
      info >> octal;
      return (std::stoul(octal, nullptr, 8) & O_CLOEXEC) != 0;
    }
  }
  return false;
}

// Direct children of `parent` named `command` (per /proc/<pid>/comm).
std::vector<pid_t> children_named(pid_t parent, const std::string& command) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(parent) + "/task", ec)) {
    std::ifstream children(task.path() / "children");
    pid_t child = 0;
    while (children >> child) {
      std::ifstream comm("/proc/" + std::to_string(child) + "/comm");
      std::string name;
      if (std::getline(comm, name) && name == command) found.push_back(child);
    }
  }
  return found;
}

// A plain TCP connection that says nothing.
int connect_silently(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// Regression: the stockfish child inherited the listening sockets and every client socket open at the time it was
// started, so a drained listener or a closed connection stayed open for as long as the engine ran.
TEST(Descriptors, TheStockfishChildHoldsOnlyItsStdioAndEverySocketIsCloseOnExec) {
  if (!fs::exists("/usr/games/stockfish")) GTEST_SKIP() << "stockfish is not installed";
  server_process server;
  const auto session = register_user(server.http_port(), "fenna", "long enough");
  std::vector<blocking_client> clients;
  for (const auto kind : {transport::tcp, transport::ws_binary, transport::ws_json}) {
    clients.emplace_back(kind, kind == transport::tcp ? server.tcp_port() : server.http_port());
    ASSERT_TRUE(clients.back().authenticate(session.token()).has_authenticated());
  }
  match_options options;
  options.game = "chess";
  options.bot = true;
  const auto created = create_match(clients.front(), options);
  ASSERT_TRUE(created.has_match_snapshot()) << created.DebugString();
  ASSERT_TRUE(play(clients.front(), created.match_snapshot().info().match_id(), "e4").has_move_accepted());
  std::optional<v1::MatchEvent> answer;
  while ((answer = next_event(clients.front(), 20s)) && answer->move().seat() != 1) {}
  ASSERT_TRUE(answer) << "the bot never answered\n" << server.log();

  const auto engines = children_named(server.pid(), "stockfish");
  ASSERT_EQ(engines.size(), 1u) << "expected one stockfish child\n" << server.log();
  const auto held = descriptors_of(engines.front());
  std::string listing;
  for (const auto& [fd, what] : held) listing += "  " + std::to_string(fd) + " -> " + what + "\n";
  ASSERT_EQ(held.size(), 3u) << "stockfish holds more than its stdio:\n" << listing;
  EXPECT_TRUE(held.at(0).starts_with("pipe:")) << listing;
  EXPECT_TRUE(held.at(1).starts_with("pipe:")) << listing;
  EXPECT_EQ(held.at(2), "/dev/null") << listing;

  // And the server's own: every socket and every file in its data folder (database, log, key) is close-on-exec.
  for (const auto& [fd, what] : descriptors_of(server.pid())) {
    const bool ours = what.starts_with("socket:") || what.starts_with(server.data_dir());
    if (fd > STDERR_FILENO && ours && what != server.data_dir() + "/server.log") {
      EXPECT_TRUE(is_close_on_exec(server.pid(), fd)) << "fd " << fd << " (" << what << ") is inherited by children";
    }
  }
}

// Regression: out of file descriptors, accept failed at once and was retried at once, spinning a core until a
// descriptor was freed.
TEST(Descriptors, OutOfDescriptorsTheServerBacksOffAndAcceptsAgainOnceSomeAreFreed) {
  server_process server({"limits.auth_timeout_ms=120000"});
  // Room for a few more connections than the server holds now.
  const rlimit tight{descriptors_of(server.pid()).size() + 8, descriptors_of(server.pid()).size() + 8};
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_NOFILE, &tight, nullptr), 0) << std::strerror(errno);

  std::vector<int> flood;
  for (int i = 0; i < 32; ++i) {
    const int fd = connect_silently(server.tcp_port());  // the kernel completes the handshake for the backlog
    ASSERT_GE(fd, 0);
    flood.push_back(fd);
  }
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (descriptors_of(server.pid()).size() < tight.rlim_cur && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(descriptors_of(server.pid()).size(), tight.rlim_cur) << "the server never ran out\n" << server.log();

  // Connections are waiting and none can be accepted: a spinning accept loop burns a core here.
  const double before = cpu_seconds_of(server.pid());
  std::this_thread::sleep_for(2s);
  const double used = cpu_seconds_of(server.pid()) - before;
  EXPECT_LT(used, 0.25) << "the server used " << used << " s of CPU in 2 s while out of descriptors";
  EXPECT_EQ(occurrences(server.log(), "out of file descriptors"), 1u) << server.log();

  for (const int fd : flood) ::close(fd);
  blocking_client late(transport::tcp, server.tcp_port());
  EXPECT_TRUE(late.authenticate(guest_token(server.http_port(), "device-late")).has_authenticated());
  EXPECT_NE(server.log().find("accepting connections on port"), std::string::npos) << server.log();
}

}  // namespace
}  // namespace guildhall::testing
