#include "services/bots/uci_engine.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace guildhall::services {
namespace {

using namespace std::chrono_literals;

// Longest line we buffer from the engine. Stockfish's longest lines (an "info ... pv" with a long variation) are
// well under 2 KB; more means something that is not an engine is writing.
constexpr std::size_t kMaxLineBytes = 16 * 1024;
constexpr std::string_view kDebianStockfish = "/usr/games/stockfish";

// The score of an "info" line of the best line, from the side to move's point of view: "score cp <centipawns>", or
// "score mate <moves>" (negative: being mated) as +-kMateCentipawns.
std::optional<int> parse_score(std::string_view line) {
  // Below skill 20 Stockfish searches several lines (MultiPV) to pick a weaker move; only the best line's score
  // says what the position is worth.
  if (const auto pv = line.find(" multipv "); pv != std::string_view::npos && !line.substr(pv).starts_with(" multipv 1 ")) {
    return std::nullopt;
  }
  const auto at = line.find(" score ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + std::string_view(" score ").size());
  const bool mate = rest.starts_with("mate ");
  if (!mate && !rest.starts_with("cp ")) return std::nullopt;
  rest.remove_prefix(mate ? 5 : 3);
  int value = 0;
  const auto [end, failed] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (failed != std::errc{} || end == rest.data()) return std::nullopt;
  if (!mate) return std::clamp(value, -uci_engine::kMateCentipawns, uci_engine::kMateCentipawns);
  return value > 0 ? uci_engine::kMateCentipawns : -uci_engine::kMateCentipawns;  // "mate 0": mated already
}

std::string errno_text(std::string_view what, int err = errno) {
  return std::string(what) + ": " + std::error_code(err, std::generic_category()).message();
}

class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~unique_fd() { reset(); }

  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct pipe_ends {
  unique_fd read;
  unique_fd write;
};

// A close-on-exec pipe with both ends above stderr. A host started with stdin closed would otherwise get fd 0 here,
// and the child's dup2(0, 0) is a no-op that leaves close-on-exec set: the engine would start without a stdin.
result<pipe_ends> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(errc::internal, errno_text("pipe2"));
  unique_fd ends[2] = {unique_fd(fds[0]), unique_fd(fds[1])};
  for (unique_fd& end : ends) {
    if (end.get() > STDERR_FILENO) continue;
    const int moved = ::fcntl(end.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (moved < 0) return fail(errc::internal, errno_text("fcntl(F_DUPFD_CLOEXEC)"));
    end = unique_fd(moved);
  }
  return pipe_ends{std::move(ends[0]), std::move(ends[1])};
}

// Writing to a pipe whose reader has exited raises SIGPIPE, which kills the process unless it is ignored. The
// server ignores it, but a library must not depend on its host: this blocks SIGPIPE on the calling thread (the
// signal goes to the thread that wrote) for the guard's lifetime and discards one that a write raised meanwhile.
class sigpipe_guard {
 public:
  sigpipe_guard() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous_);
    was_pending_ = is_pending();
  }
  ~sigpipe_guard() {
    if (!was_pending_ && is_pending()) {
      const timespec no_wait{};
      while (sigtimedwait(&sigpipe_, nullptr, &no_wait) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  sigpipe_guard(const sigpipe_guard&) = delete;
  sigpipe_guard& operator=(const sigpipe_guard&) = delete;

 private:
  bool is_pending() const {
    sigset_t pending;
    sigemptyset(&pending);
    return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
  }

  sigset_t sigpipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

// Starts `path` with `child_stdin` and `child_stdout` as its stdin and stdout, stderr on /dev/null and no other
// descriptor. The child
// gets an empty signal mask and default dispositions for the signals a server blocks or ignores, so that "quit",
// SIGTERM and a closed pipe all work on it as on any program.
result<pid_t> spawn(const std::string& path, int child_stdin, int child_stdout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_stdin, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, child_stdout, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // The engine gets its three standard descriptors and nothing else. Our own descriptors are close-on-exec, but
  // one inherited from whoever started the server, or opened by a library without O_CLOEXEC, would otherwise keep
  // a client's socket or a listening port open for as long as the engine runs.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (const int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&default_signals, signal);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::string argv0 = path;
  char* argv[] = {argv0.data(), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, path.c_str(), &actions, &attributes, argv, environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return fail(errc::internal, errno_text("cannot start " + path, spawned));
  return pid;
}

// Waits until `fd` is ready for `events` or `deadline` passes; false only on timeout. Errors and hang-ups count as
// ready, so that the read or write that follows reports them.
bool wait_ready(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining <= 0ms) return false;
    pollfd watched{.fd = fd, .events = events, .revents = 0};
    const int ready = ::poll(&watched, 1, static_cast<int>(std::min<std::int64_t>(remaining.count(), INT_MAX)));
    if (ready > 0 || (ready < 0 && errno != EINTR)) return true;
  }
}

bool is_executable_file(const std::string& path) {
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Like the shell: the first executable `name` in a PATH directory. Empty entries (the current directory) are
// skipped: a server must not run whatever "stockfish" happens to be in its working directory.
std::optional<std::string> search_path(std::string_view name) {
  const char* path_variable = std::getenv("PATH");
  std::string_view directories = path_variable != nullptr ? path_variable : "/usr/local/bin:/usr/bin:/bin";
  while (!directories.empty()) {
    const auto colon = directories.find(':');
    const std::string_view directory = directories.substr(0, colon);
    directories = colon == std::string_view::npos ? std::string_view() : directories.substr(colon + 1);
    if (directory.empty()) continue;
    std::string candidate = std::string(directory) + "/" + std::string(name);
    if (is_executable_file(candidate)) return candidate;
  }
  return std::nullopt;
}

// "e2e4" or "e7e8q": from-square, to-square, optional promotion piece.
bool is_uci_move(std::string_view move) {
  const auto is_square = [](char file, char rank) { return file >= 'a' && file <= 'h' && rank >= '1' && rank <= '8'; };
  if (move.size() != 4 && move.size() != 5) return false;
  if (!is_square(move[0], move[1]) || !is_square(move[2], move[3])) return false;
  return move.size() == 4 || std::string_view("qrbn").find(move[4]) != std::string_view::npos;
}

bool is_fen_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == ' ' || c == '-';
}

}  // namespace

result<void> uci_engine_options::validate() const {
  if (path.find('\0') != std::string::npos) return fail(errc::invalid_argument, "engine path contains a NUL byte");
  if (skill_level < 0 || skill_level > 20) return fail(errc::invalid_argument, "skill_level must be 0..20");
  if (threads < 1 || threads > kMaxThreads) {
    return fail(errc::invalid_argument, "threads must be 1.." + std::to_string(kMaxThreads));
  }
  if (hash_mb < 1 || hash_mb > kMaxHashMb) {
    return fail(errc::invalid_argument, "hash_mb must be 1.." + std::to_string(kMaxHashMb));
  }
  if (start_timeout <= 0ms) return fail(errc::invalid_argument, "start_timeout must be positive");
  if (answer_margin < 0ms) return fail(errc::invalid_argument, "answer_margin must not be negative");
  return {};
}

std::optional<std::string> uci_engine::find_executable(std::string_view path_or_empty) {
  if (path_or_empty.find('\0') != std::string_view::npos) return std::nullopt;
  if (path_or_empty.empty()) {
    if (auto on_path = search_path("stockfish")) return on_path;
    if (is_executable_file(std::string(kDebianStockfish))) return std::string(kDebianStockfish);
    return std::nullopt;
  }
  if (path_or_empty.find('/') == std::string_view::npos) return search_path(path_or_empty);
  std::string path(path_or_empty);
  if (is_executable_file(path)) return path;
  return std::nullopt;
}

result<std::unique_ptr<uci_engine>> uci_engine::start(const uci_engine_options& options) {
  if (auto valid = options.validate(); !valid) return std::unexpected(valid.error());
  const std::optional<std::string> path = find_executable(options.path);
  if (!path && options.path.empty()) {
    return fail(errc::not_found, "no UCI engine: stockfish is neither on PATH nor at " + std::string(kDebianStockfish));
  }
  if (!path) return fail(errc::not_found, "no UCI engine: '" + options.path + "' is not an executable file");
  auto to_engine = make_pipe();
  if (!to_engine) return std::unexpected(to_engine.error());
  auto from_engine = make_pipe();
  if (!from_engine) return std::unexpected(from_engine.error());
  // Our end of the engine's stdin never blocks: an engine that stops reading must not hang the bot thread.
  const int flags = ::fcntl(to_engine->write.get(), F_GETFL);
  if (flags < 0 || ::fcntl(to_engine->write.get(), F_SETFL, flags | O_NONBLOCK) != 0) {
    return fail(errc::internal, errno_text("fcntl(O_NONBLOCK)"));
  }

  const result<pid_t> pid = spawn(*path, to_engine->read.get(), from_engine->write.get());
  if (!pid) return std::unexpected(pid.error());
  // The child has its own copies. Closing ours is what lets us see end-of-file when it exits.
  to_engine->read.reset();
  from_engine->write.reset();

  std::unique_ptr<uci_engine> engine(new uci_engine(*pid, to_engine->write.release(), from_engine->read.release()));
  engine->answer_margin_ = options.answer_margin;
  // On failure the engine is already stopped and reaped.
  if (auto ready = engine->handshake(options); !ready) return std::unexpected(ready.error());
  return engine;
}

result<void> uci_engine::handshake(const uci_engine_options& options) {
  const auto deadline = clock::now() + options.start_timeout;
  if (auto sent = send("uci", deadline); !sent) return sent;
  if (auto answered = wait_for("uciok", deadline); !answered) return answered;
  const std::string setup[] = {
      "setoption name Skill Level value " + std::to_string(options.skill_level),
      "setoption name Threads value " + std::to_string(options.threads),
      "setoption name Hash value " + std::to_string(options.hash_mb),
      "isready",
  };
  for (const std::string& line : setup) {
    if (auto sent = send(line, deadline); !sent) return sent;
  }
  return wait_for("readyok", deadline);
}

result<std::string> uci_engine::best_move(std::string_view fen, std::chrono::milliseconds movetime) {
  auto answer = search(fen, movetime);
  if (!answer) return std::unexpected(answer.error());
  return std::move(answer->move);
}

result<uci_engine::search_answer> uci_engine::search(std::string_view fen, std::chrono::milliseconds movetime) {
  if (pid_ < 0) return fail(errc::internal, "the engine was stopped after an earlier failure");
  if (fen.size() > kMaxFenBytes || !std::ranges::all_of(fen, is_fen_char)) {
    return fail(errc::invalid_argument, "not a FEN: at most 128 characters of letters, digits, '/', '-' and spaces");
  }
  if (movetime < 1ms || movetime > kMaxMovetime) {
    return fail(errc::invalid_argument, "movetime must be 1.." + std::to_string(kMaxMovetime.count()) + " ms");
  }

  const auto deadline = clock::now() + movetime + answer_margin_;
  const std::string position =
      fen.empty() || fen == "startpos" ? std::string("position startpos") : "position fen " + std::string(fen);
  if (auto sent = send(position, deadline); !sent) return std::unexpected(sent.error());
  if (auto sent = send("go movetime " + std::to_string(movetime.count()), deadline); !sent) {
    return std::unexpected(sent.error());
  }

  std::optional<int> score;
  while (true) {
    // "info ..." lines come while it searches; "bestmove <move> [ponder <move>]" ends the search.
    result<std::string> line = read_line(deadline);
    if (!line) return std::unexpected(line.error());
    std::string_view words = *line;
    if (words.starts_with("info ")) {
      if (auto seen = parse_score(words)) score = seen;  // the last one is of the deepest search
      continue;
    }
    if (!words.starts_with("bestmove ")) continue;
    words.remove_prefix(std::string_view("bestmove ").size());
    words.remove_prefix(std::min(words.find_first_not_of(' '), words.size()));
    const std::string_view move = words.substr(0, words.find(' '));
    // "(none)" is Stockfish's answer when there is no legal move; "0000", the UCI null move, is other engines'.
    if (move == "(none)" || move == "0000") {
      return fail(errc::not_found, "no legal move: the side to move is checkmated or stalemated");
    }
    if (!is_uci_move(move)) {
      return give_up({errc::internal, "the engine answered nonsense: '" + line->substr(0, 64) + "'"});
    }
    return search_answer{std::string(move), score};
  }
}

result<void> uci_engine::send(std::string_view line, clock::time_point deadline) {
  if (to_engine_ < 0) return fail(errc::internal, "the engine was stopped after an earlier failure");
  std::string bytes(line);
  bytes += '\n';
  const sigpipe_guard no_sigpipe;
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(to_engine_, bytes.data() + written, bytes.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      // The pipe is full: the engine is not reading.
      if (!wait_ready(to_engine_, POLLOUT, deadline)) return give_up({errc::internal, "the engine stopped reading"});
    } else if (n < 0 && errno == EPIPE) {
      return give_up({errc::internal, "the engine exited"});
    } else if (n < 0 && errno != EINTR) {
      return give_up({errc::internal, errno_text("cannot write to the engine")});
    }
  }
  return {};
}

result<std::string> uci_engine::read_line(clock::time_point deadline) {
  if (from_engine_ < 0) return fail(errc::internal, "the engine was stopped after an earlier failure");
  while (true) {
    if (const auto end = pending_.find('\n'); end != std::string::npos) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      return line;
    }
    if (pending_.size() > kMaxLineBytes) return give_up({errc::internal, "the engine wrote an overlong line"});
    if (!wait_ready(from_engine_, POLLIN, deadline)) {
      return give_up({errc::internal, "the engine did not answer in time"});
    }
    char chunk[4096];
    const ssize_t n = ::read(from_engine_, chunk, sizeof chunk);
    if (n > 0) {
      pending_.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return give_up({errc::internal, "the engine exited"});
    } else if (errno != EINTR && errno != EAGAIN) {
      return give_up({errc::internal, errno_text("cannot read from the engine")});
    }
  }
}

result<void> uci_engine::wait_for(std::string_view answer, clock::time_point deadline) {
  while (true) {
    result<std::string> line = read_line(deadline);
    if (!line) {
      return fail(line.error().code, "no '" + std::string(answer) + "' (is it a UCI engine?): " + line.error().message);
    }
    if (*line == answer) return {};
  }
}

std::unexpected<error> uci_engine::give_up(error why) {
  stop();
  return std::unexpected<error>(std::move(why));
}

void uci_engine::stop() {
  if (pid_ < 0) return;
  if (to_engine_ >= 0) {
    const sigpipe_guard no_sigpipe;
    // Best effort: a dead or stuck engine does not read it, and the end-of-file below says the same.
    [[maybe_unused]] const ssize_t ignored = ::write(to_engine_, "quit\n", 5);
    ::close(to_engine_);
    to_engine_ = -1;
  }
  // Closed before waiting, so an engine blocked on a full stdout pipe gets EPIPE instead of hanging its exit.
  if (from_engine_ >= 0) ::close(from_engine_);
  from_engine_ = -1;
  pending_.clear();

  const auto deadline = clock::now() + kQuitGrace;
  while (true) {
    const pid_t waited = ::waitpid(pid_, nullptr, WNOHANG);
    // ECHILD: the host reaps its children itself (SIGCHLD ignored); nothing is left of this one.
    if (waited == pid_ || (waited < 0 && errno != EINTR)) break;
    if (clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(2ms);
  }
  pid_ = -1;
}

uci_engine::~uci_engine() { stop(); }

}  // namespace guildhall::services
