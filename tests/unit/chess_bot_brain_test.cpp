// The chess bot's answer to draw offers (services/bots/chess_bot_brain), with the real Stockfish
// (/usr/games/stockfish, Debian's package) and with the built-in engine: it takes a draw in a dead draw or a
// lost position and plays on otherwise. Also the engine's score, which the answer rests on.
#include "services/bots/chess_bot_brain.hpp"

#include <gtest/gtest.h>

#include "games/chess/fen.hpp"

namespace guildhall::services {
namespace {

namespace chess = games::chess;

constexpr const char* kStart = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";
constexpr const char* kTwoQueensForWhite = "4k3/8/8/8/8/8/8/QQ2K3 w - - 0 1";   // black is lost
constexpr const char* kTwoQueensForBlack = "qq2k3/8/8/8/8/8/8/4K3 w - - 0 1";   // black is winning
constexpr const char* kKnightEach = "4k3/8/8/3n4/8/8/3N4/4K3 w - - 0 1";      // nobody can mate: dead draw
constexpr const char* kRookUpForWhite = "4k3/pppp4/8/8/8/8/PPPP4/R3K3 b - - 0 1";  // a clean rook: lost for black

bot_job offer_to(int seat, const char* fen) {
  bot_job job;
  job.game = "chess";
  job.seat = seat;
  job.view = fen;
  job.skill_level = 5;
  job.move_time_ms = 200;
  return job;
}

TEST(ChessBotDraws, TheRuleAcceptsDeadDrawsAndLostPositionsOnly) {
  const auto dead = chess::parse_fen(kKnightEach).value();
  const auto start = chess::parse_fen(kStart).value();
  EXPECT_EQ(judge_draw_offer(dead, 500), draw_answer::accept);  // whatever the score says
  EXPECT_EQ(judge_draw_offer(start, -kLosingCentipawns), draw_answer::accept);
  EXPECT_EQ(judge_draw_offer(start, -kLosingCentipawns + 1), draw_answer::decline);
  EXPECT_EQ(judge_draw_offer(start, std::nullopt), draw_answer::decline);
}

TEST(ChessBotDraws, StockfishScoresPositionsFromTheSideToMove) {
  auto engine = uci_engine::start(uci_engine_options{});
  ASSERT_TRUE(engine) << engine.error().message;
  const auto winning = (*engine)->search(kTwoQueensForWhite, std::chrono::milliseconds(100));
  ASSERT_TRUE(winning && winning->score);
  EXPECT_GE(*winning->score, kLosingCentipawns);
  const auto losing = (*engine)->search("4k3/8/8/8/8/8/8/QQ2K3 b - - 0 1", std::chrono::milliseconds(100));
  ASSERT_TRUE(losing && losing->score);
  EXPECT_LE(*losing->score, -kLosingCentipawns);
}

// Both engines must give the same answers: clear losses, dead draws and even or winning positions.
void expect_draw_answers(chess_bot_brain& brain) {
  EXPECT_EQ(brain.answer_draw_offer(offer_to(1, kTwoQueensForWhite)), draw_answer::accept);
  EXPECT_EQ(brain.answer_draw_offer(offer_to(1, kRookUpForWhite)), draw_answer::accept);
  EXPECT_EQ(brain.answer_draw_offer(offer_to(1, kKnightEach)), draw_answer::accept);
  EXPECT_EQ(brain.answer_draw_offer(offer_to(1, kTwoQueensForBlack)), draw_answer::decline);
  EXPECT_EQ(brain.answer_draw_offer(offer_to(0, kTwoQueensForWhite)), draw_answer::decline);
  EXPECT_EQ(brain.answer_draw_offer(offer_to(1, kStart)), draw_answer::decline);
}

TEST(ChessBotDraws, StockfishAcceptsWhenLostOrDeadAndDeclinesOtherwise) {
  ASSERT_TRUE(uci_engine::find_executable("")) << "stockfish is not installed";
  chess_bot_brain stockfish("");  // "stockfish" on PATH, then /usr/games/stockfish
  expect_draw_answers(stockfish);
}

TEST(ChessBotDraws, TheBuiltInEngineAcceptsWhenLostOrDeadAndDeclinesOtherwise) {
  chess_bot_brain builtin("/nonexistent/stockfish");
  expect_draw_answers(builtin);
}

}  // namespace
}  // namespace guildhall::services
