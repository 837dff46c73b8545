#pragma once
// A UCI chess engine (Stockfish) run as a child process, spoken to over pipes: the strong half of the chess
// bot's brain (chess_bot_brain.hpp).
//
// Thread-safety: none; one thread at a time. best_move blocks its caller for about `movetime`, so an engine
// belongs to a bot worker thread and is never used from a shard (network) thread.
//
// Failure model: the engine is another program and may crash, hang or print nonsense. Every such failure is an
// errc::internal value, never a hang past the timeouts below and never a signal in our process (writes are
// SIGPIPE-safe even where the host does not ignore SIGPIPE). After an errc::internal the engine is stopped and every
// later call fails at once: the owner drops it and starts a new one.
//
// The child gets an empty signal mask and default dispositions (the server blocks SIGINT/SIGTERM and ignores
// SIGPIPE in its threads, which a child would otherwise inherit), stderr on /dev/null, and no descriptor of ours:
// every descriptor is opened close-on-exec. If our process dies, the engine sees end-of-file on stdin and quits.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::services {

struct uci_engine_options {
  // A path, a bare name looked up on PATH, or empty: "stockfish" on PATH, then /usr/games/stockfish (where Debian
  // installs it, and which a service's PATH often lacks).
  std::string path;
  // Stockfish's "Skill Level", 0..20. Below 20 it picks weaker moves on purpose: for beginner-level bots.
  int skill_level = 20;
  // Search threads, 1..kMaxThreads. Each one is a core taken from the shards while the bot thinks.
  int threads = 1;
  // Transposition table in MiB, 1..kMaxHashMb, per engine process. Short bot searches need little.
  int hash_mb = 16;
  // How long starting the program and the handshake (uciok, readyok) may take. Raise on a slow or busy machine.
  std::chrono::milliseconds start_timeout{5000};
  // How much longer than the requested movetime to wait for "bestmove" before declaring the engine hung.
  std::chrono::milliseconds answer_margin{2000};

  static constexpr int kMaxThreads = 64;
  static constexpr int kMaxHashMb = 4096;

  result<void> validate() const;
};

class uci_engine {
 public:
  // Longest FEN best_move accepts; a legal FEN is under 90 bytes.
  static constexpr std::size_t kMaxFenBytes = 128;
  // Longest movetime best_move accepts. Bots think for seconds; a minute is a mistake.
  static constexpr std::chrono::milliseconds kMaxMovetime{60'000};
  // How long the destructor waits for the engine to obey "quit" before it kills it.
  static constexpr std::chrono::milliseconds kQuitGrace{500};

  // Starts the program and runs the handshake: "uci" until "uciok", the options (Skill Level, Threads, Hash),
  // "isready" until "readyok". Errors: invalid_argument (options), not_found (no such executable), internal (could
  // not start it, or it exited, timed out or never said uciok: not a UCI engine).
  static result<std::unique_ptr<uci_engine>> start(const uci_engine_options& options);

  // The executable start() would run for `path_or_empty` (see uci_engine_options::path), if there is one.
  static std::optional<std::string> find_executable(std::string_view path_or_empty);

  // Blocking: sets up the position (a FEN, or the start position when `fen` is empty or "startpos"), searches for
  // `movetime` and returns the engine's move in UCI notation ("e2e4", "e7e8q").
  // Errors: invalid_argument (FEN over kMaxFenBytes or with a character no FEN has, such as a newline that would
  // smuggle in another command; movetime outside 1 ms..kMaxMovetime),
  // not_found (no legal move: checkmate or stalemate), internal (the engine died, timed out after movetime +
  // answer_margin, or answered nonsense; the engine is stopped). The engine does not validate FENs and may crash
  // on an illegal position, which shows as internal: pass positions the chess rules produced.
  result<std::string> best_move(std::string_view fen, std::chrono::milliseconds movetime);

  // What the engine makes of a position: how a mate is scored, beyond any material count.
  static constexpr int kMateCentipawns = 100'000;
  struct search_answer {
    std::string move;
    // Centipawns from the side to move's point of view (+-kMateCentipawns for a forced mate), from the deepest
    // "info ... score" line; nullopt when the engine gave none.
    std::optional<int> score;
  };
  // best_move with the engine's score of the position. Same errors.
  result<search_answer> search(std::string_view fen, std::chrono::milliseconds movetime);

  // The child's process id, or -1 once it is stopped. For tests and diagnostics.
  pid_t pid() const { return pid_; }

  // Sends "quit", gives the engine kQuitGrace to exit, then kills it; always reaps it. May block for kQuitGrace.
  ~uci_engine();
  uci_engine(const uci_engine&) = delete;
  uci_engine& operator=(const uci_engine&) = delete;

 private:
  using clock = std::chrono::steady_clock;

  uci_engine(pid_t pid, int to_engine, int from_engine) : pid_(pid), to_engine_(to_engine), from_engine_(from_engine) {}

  result<void> handshake(const uci_engine_options& options);
  result<void> send(std::string_view line, clock::time_point deadline);
  result<std::string> read_line(clock::time_point deadline);
  result<void> wait_for(std::string_view answer, clock::time_point deadline);
  // Stops the engine and returns `why`: the path every internal failure takes.
  std::unexpected<error> give_up(error why);
  void stop();

  pid_t pid_;             // -1 once stopped
  int to_engine_;         // our end of the engine's stdin, non-blocking; -1 once stopped
  int from_engine_;       // our end of the engine's stdout; -1 once stopped
  std::string pending_;   // bytes read past the last whole line
  std::chrono::milliseconds answer_margin_{0};
};

}  // namespace guildhall::services
