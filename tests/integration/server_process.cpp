#include "server_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace guildhall::testing {

std::string make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

double cpu_seconds_of(pid_t pid) {
  std::ifstream schedstat("/proc/" + std::to_string(pid) + "/schedstat");
  double on_cpu_ns = 0;
  schedstat >> on_cpu_ns;
  return on_cpu_ns / 1e9;
}

long resident_kib_of(pid_t pid) {
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  long total_pages = 0, resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * (sysconf(_SC_PAGESIZE) / 1024);
}

server_process::server_process(std::vector<std::string> settings, std::string data_dir)
    : settings_(std::move(settings)),
      owns_data_dir_(data_dir.empty()),
      data_dir_(owns_data_dir_ ? make_temp_dir("guildhall-test") : std::move(data_dir)) {
  start();
}

server_process::~server_process() {
  if (running()) stop(SIGKILL);
  if (owns_data_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
}

void server_process::start() {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  // A restart keeps the ports it had, as a real server's address does: clients that reconnect find it again.
  std::vector<std::string> args = {GUILDHALL_BINARY, "serve",       "--data",     data_dir_, "--host",
                                   "127.0.0.1",      "--http-port", std::to_string(http_port_),
                                   "--tcp-port",     std::to_string(tcp_port_),  "--udp-port",
                                   std::to_string(udp_port_),                    "--log-level", "info"};
  for (const auto& setting : settings_) {
    args.push_back("--set");
    args.push_back(setting);
  }
  const std::string log_path = data_dir_ + "/server.log";
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    FILE* log = std::fopen(log_path.c_str(), "a");
    if (log) dup2(fileno(log), STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // The server prints its addresses once it listens; read until every port is known (UDP last: "off" or a port).
  FILE* from_server = fdopen(out[0], "r");
  char line[512];
  http_port_ = tcp_port_ = udp_port_ = 0;
  bool udp_line = false;
  while (!udp_line && std::fgets(line, sizeof line, from_server)) {
    std::string text(line);
    // http:// or, with TLS on, https://
    if (auto at = text.find("://127.0.0.1:"); at != std::string::npos && text.find("web + WebSocket") != std::string::npos) {
      http_port_ = static_cast<std::uint16_t>(std::stoi(text.substr(at + 13)));
    }
    if (auto at = text.find("native TCP:"); at != std::string::npos) {
      tcp_port_ = static_cast<std::uint16_t>(std::stoi(text.substr(text.find("127.0.0.1:") + 10)));
    }
    if (text.find("UDP:") != std::string::npos) {
      udp_line = true;
      if (auto at = text.find("127.0.0.1:"); at != std::string::npos) {
        udp_port_ = static_cast<std::uint16_t>(std::stoi(text.substr(at + 10)));
      }
    }
  }
  // Keep the pipe open but unread: the server prints nothing more. Closing it would not hurt either.
  std::fclose(from_server);
  if (http_port_ == 0 || tcp_port_ == 0) {
    stop(SIGKILL);
    throw std::runtime_error("server did not start: " + log());
  }
}

int server_process::stop(int signal) {
  if (!running()) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string server_process::log() const {
  std::ifstream in(data_dir_ + "/server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace guildhall::testing
