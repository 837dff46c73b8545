// services/bots/uci_engine against the real Stockfish (/usr/games/stockfish, Debian's package) and against
// programs that are not engines or that misbehave: every failure must be an error value, never a hang, a crash,
// a SIGPIPE or a zombie.
#include "services/bots/uci_engine.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "temp_dir.hpp"

namespace guildhall::services {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr const char* kMateInOne = "6k1/5ppp/8/8/8/8/5PPP/R5K1 w - - 0 1";  // Ra8#
constexpr const char* kCheckmated = "R5k1/5ppp/8/8/8/8/5PPP/6K1 b - - 0 1";
constexpr const char* kStalemated = "7k/5Q2/6K1/8/8/8/8/8 b - - 0 1";

bool looks_like_uci_move(const std::string& move) {
  return std::regex_match(move, std::regex("[a-h][1-8][a-h][1-8][qrbn]?"));
}

std::unique_ptr<uci_engine> start_stockfish(int skill_level = 20) {
  uci_engine_options options;
  options.skill_level = skill_level;
  auto engine = uci_engine::start(options);
  EXPECT_TRUE(engine.has_value()) << engine.error().message;
  return engine ? std::move(*engine) : nullptr;
}

// True once `pid` is neither running nor a zombie waiting for us: it was reaped.
bool was_reaped(pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD; }

// A shell script posing as an engine: `on_go` is what it does with "go".
std::string fake_engine(const test_support::temp_dir& dir, const std::string& name, const std::string& on_go) {
  const std::string path = dir.file(name);
  std::ofstream(path) << "#!/bin/sh\n"
                         "while read -r line; do\n"
                         "  case \"$line\" in\n"
                         "    uci) echo 'id name fake'; echo uciok ;;\n"
                         "    isready) echo readyok ;;\n"
                         "    go*) " << on_go << " ;;\n"
                         "  esac\n"
                         "done\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(UciEngine, FindsExecutables) {
  const auto stockfish = uci_engine::find_executable("");
  ASSERT_TRUE(stockfish.has_value());
  EXPECT_TRUE(stockfish->ends_with("/stockfish")) << *stockfish;
  EXPECT_EQ(uci_engine::find_executable("/usr/games/stockfish"), "/usr/games/stockfish");
  const auto sh = uci_engine::find_executable("sh");  // a bare name is looked up on PATH
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(sh->ends_with("/sh")) << *sh;
  EXPECT_FALSE(uci_engine::find_executable("/nonexistent/stockfish").has_value());
  EXPECT_FALSE(uci_engine::find_executable("no-such-engine-anywhere").has_value());
  EXPECT_FALSE(uci_engine::find_executable("/usr").has_value());  // a directory is not an executable
}

TEST(UciEngine, FindsMateInOne) {
  const auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  const auto move = engine->best_move(kMateInOne, 200ms);
  ASSERT_TRUE(move.has_value()) << move.error().message;
  EXPECT_EQ(*move, "a1a8");
}

TEST(UciEngine, AnswersForTheStartPosition) {
  const auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  for (const char* fen : {"", "startpos", "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1"}) {
    const auto move = engine->best_move(fen, 100ms);
    ASSERT_TRUE(move.has_value()) << move.error().message;
    EXPECT_TRUE(looks_like_uci_move(*move)) << *move;
    // A white first move starts on rank 1 or 2.
    EXPECT_TRUE((*move)[1] == '1' || (*move)[1] == '2') << *move;
  }
}

TEST(UciEngine, WeakestSkillLevelStillPlaysLegalLookingMoves) {
  const auto engine = start_stockfish(0);
  ASSERT_NE(engine, nullptr);
  const auto move = engine->best_move("", 50ms);
  ASSERT_TRUE(move.has_value()) << move.error().message;
  EXPECT_TRUE(looks_like_uci_move(*move)) << *move;
}

TEST(UciEngine, NoLegalMoveIsNotFoundAndTheEngineCarriesOn) {
  const auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  for (const char* fen : {kCheckmated, kStalemated}) {
    const auto move = engine->best_move(fen, 100ms);
    ASSERT_FALSE(move.has_value()) << fen << " -> " << *move;
    EXPECT_EQ(move.error().code, errc::not_found) << move.error().message;
  }
  const auto move = engine->best_move(kMateInOne, 100ms);
  ASSERT_TRUE(move.has_value()) << move.error().message;
  EXPECT_EQ(*move, "a1a8");
}

TEST(UciEngine, RefusesBadArgumentsWithoutTouchingTheEngine) {
  const auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  // A newline would let the caller inject UCI commands ("quit") after the FEN.
  for (const std::string& fen : {std::string(kMateInOne) + "\nquit", std::string(200, '8'), std::string("8/8\t8")}) {
    const auto move = engine->best_move(fen, 100ms);
    ASSERT_FALSE(move.has_value());
    EXPECT_EQ(move.error().code, errc::invalid_argument);
  }
  for (const auto movetime : {0ms, -5ms, 61'000ms}) {
    const auto move = engine->best_move(kMateInOne, movetime);
    ASSERT_FALSE(move.has_value());
    EXPECT_EQ(move.error().code, errc::invalid_argument);
  }
  const auto move = engine->best_move(kMateInOne, 100ms);
  ASSERT_TRUE(move.has_value()) << move.error().message;
  EXPECT_EQ(*move, "a1a8");
}

TEST(UciEngine, InvalidOptionsAreRefused) {
  const auto refused = [](auto change) {
    uci_engine_options options;
    change(options);
    const auto engine = uci_engine::start(options);
    return !engine.has_value() && engine.error().code == errc::invalid_argument;
  };
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.skill_level = 21; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.skill_level = -1; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.threads = 0; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.hash_mb = 0; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.hash_mb = uci_engine_options::kMaxHashMb + 1; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.start_timeout = 0ms; }));
  EXPECT_TRUE(refused([](uci_engine_options& o) { o.path = std::string("/bin/sh\0x", 9); }));
}

TEST(UciEngine, NonexistentExecutableIsNotFound) {
  const auto engine = uci_engine::start({.path = "/nonexistent/stockfish"});
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code, errc::not_found);
  EXPECT_NE(engine.error().message.find("/nonexistent/stockfish"), std::string::npos) << engine.error().message;
}

TEST(UciEngine, ProgramThatIsNotAnEngineTimesOutOfTheHandshake) {
  // cat echoes "uci" back and never says "uciok".
  const auto started = clock_type::now();
  const auto engine = uci_engine::start({.path = "/bin/cat", .start_timeout = 300ms});
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code, errc::internal);
  EXPECT_NE(engine.error().message.find("uciok"), std::string::npos) << engine.error().message;
  EXPECT_LT(clock_type::now() - started, 300ms + uci_engine::kQuitGrace + 2s);
}

TEST(UciEngine, ProgramThatExitsAtOnceIsAnError) {
  for (const char* program : {"/bin/true", "/bin/false"}) {
    const auto started = clock_type::now();
    const auto engine = uci_engine::start({.path = program});
    ASSERT_FALSE(engine.has_value()) << program;
    EXPECT_EQ(engine.error().code, errc::internal);
    EXPECT_LT(clock_type::now() - started, 2s) << "waited for the start timeout instead of noticing the exit";
  }
}

TEST(UciEngine, FileThatCannotBeExecutedIsAnError) {
  const test_support::temp_dir dir;
  const std::string path = dir.file("not-a-program");
  std::ofstream(path) << "\x7f" "ELF but not really\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  const auto engine = uci_engine::start({.path = path});
  ASSERT_FALSE(engine.has_value());
  EXPECT_EQ(engine.error().code, errc::internal);
}

TEST(UciEngine, KilledEngineIsAnErrorNotASignalAndIsReaped) {
  // With SIGPIPE at its default, a careless write to the dead engine would kill this test process.
  const auto previous = std::signal(SIGPIPE, SIG_DFL);
  auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  const pid_t pid = engine->pid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  std::this_thread::sleep_for(50ms);  // let it die, so that the write itself meets the closed pipe

  const auto move = engine->best_move(kMateInOne, 100ms);
  ASSERT_FALSE(move.has_value());
  EXPECT_EQ(move.error().code, errc::internal) << move.error().message;
  EXPECT_EQ(engine->pid(), -1);
  EXPECT_TRUE(was_reaped(pid));

  const auto again = engine->best_move(kMateInOne, 100ms);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, errc::internal);
  engine.reset();
  std::signal(SIGPIPE, previous);
}

TEST(UciEngine, EngineKilledWhileSearchingEndsTheSearchAtOnce) {
  const auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  const pid_t pid = engine->pid();
  std::thread killer([pid] {
    std::this_thread::sleep_for(200ms);
    ::kill(pid, SIGKILL);
  });
  const auto started = clock_type::now();
  const auto move = engine->best_move("", 10s);
  killer.join();
  ASSERT_FALSE(move.has_value());
  EXPECT_EQ(move.error().code, errc::internal);
  EXPECT_LT(clock_type::now() - started, 5s);
  EXPECT_TRUE(was_reaped(pid));
}

TEST(UciEngine, DestructorQuitsAndReaps) {
  auto engine = start_stockfish();
  ASSERT_NE(engine, nullptr);
  const pid_t pid = engine->pid();
  ASSERT_TRUE(engine->best_move(kMateInOne, 50ms).has_value());
  const auto started = clock_type::now();
  engine.reset();
  EXPECT_LT(clock_type::now() - started, uci_engine::kQuitGrace) << "Stockfish should quit when asked";
  EXPECT_TRUE(was_reaped(pid));
}

TEST(UciEngine, EngineThatIgnoresQuitIsKilled) {
  const test_support::temp_dir dir;
  // Answers the handshake, then ignores "quit" and the end of its input.
  const std::string path = dir.file("stubborn");
  std::ofstream(path) << "#!/bin/sh\n"
                         "read -r line; echo uciok\n"
                         "read -r line; read -r line; read -r line; read -r line; echo readyok\n"
                         "exec sleep 60\n";  // exec: no grandchild left behind when it is killed
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  auto engine = uci_engine::start({.path = path});
  ASSERT_TRUE(engine.has_value()) << engine.error().message;
  const pid_t pid = (*engine)->pid();
  const auto started = clock_type::now();
  engine->reset();
  EXPECT_GE(clock_type::now() - started, uci_engine::kQuitGrace);
  EXPECT_LT(clock_type::now() - started, uci_engine::kQuitGrace + 2s);
  EXPECT_TRUE(was_reaped(pid));
}

TEST(UciEngine, NonsenseAnswerIsAnError) {
  const test_support::temp_dir dir;
  auto engine = uci_engine::start({.path = fake_engine(dir, "nonsense", "echo 'bestmove banana'")});
  ASSERT_TRUE(engine.has_value()) << engine.error().message;
  const auto move = (*engine)->best_move(kMateInOne, 50ms);
  ASSERT_FALSE(move.has_value());
  EXPECT_EQ(move.error().code, errc::internal);
  EXPECT_NE(move.error().message.find("banana"), std::string::npos) << move.error().message;
}

TEST(UciEngine, EngineThatNeverAnswersTimesOut) {
  const test_support::temp_dir dir;
  auto engine = uci_engine::start({.path = fake_engine(dir, "silent", "echo 'info depth 1'"), .answer_margin = 200ms});
  ASSERT_TRUE(engine.has_value()) << engine.error().message;
  const auto started = clock_type::now();
  const auto move = (*engine)->best_move(kMateInOne, 100ms);
  const auto waited = clock_type::now() - started;
  ASSERT_FALSE(move.has_value());
  EXPECT_EQ(move.error().code, errc::internal);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 300ms + uci_engine::kQuitGrace + 2s);
}

TEST(UciEngine, AcceptsAPonderMoveAndNullMove) {
  const test_support::temp_dir dir;
  auto ponder = uci_engine::start({.path = fake_engine(dir, "ponder", "echo 'bestmove e7e8q ponder a2a1'")});
  ASSERT_TRUE(ponder.has_value()) << ponder.error().message;
  EXPECT_EQ((*ponder)->best_move(kMateInOne, 50ms), "e7e8q");
  auto null_move = uci_engine::start({.path = fake_engine(dir, "null", "echo 'bestmove 0000'")});
  ASSERT_TRUE(null_move.has_value()) << null_move.error().message;
  const auto move = (*null_move)->best_move(kMateInOne, 50ms);
  ASSERT_FALSE(move.has_value());
  EXPECT_EQ(move.error().code, errc::not_found);
}

}  // namespace
}  // namespace guildhall::services
