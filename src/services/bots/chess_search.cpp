#include "services/bots/chess_search.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "games/chess/movegen.hpp"
#include "games/chess/rules.hpp"
#include "services/bots/chess_evaluation.hpp"

namespace guildhall::services::chess_bot {
using namespace games::chess;  // the board and move generator this search walks
namespace {

constexpr int kMateScore = 100'000;
constexpr int kInfinity = 1'000'000;
constexpr int kMaxPly = 64;  // check extensions and quiescence stop here
static_assert(kMateThreshold < kMateScore - kMaxPly, "every mate score lies beyond the threshold");

// A mate score reached `ply` plies from the root: nearer mates score higher, so the bot mates quickly.
bool is_mate_score(int score) { return score > kMateScore - kMaxPly || score < -kMateScore + kMaxPly; }

// splitmix64: a tiny, well-mixed generator; the seed only shuffles the root moves.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Captures of valuable pieces by cheap ones first, then promotions, then quiet moves in their given order.
int order_score(const position& pos, const move& m) {
  int score = 0;
  if (m.is_capture()) score += 10'000 + 10 * piece_value(type_of(m.captured)) - piece_value(type_of(pos.at(m.from)));
  if (m.promotion != piece_type::none) score += 5'000 + piece_value(m.promotion);
  return score;
}

// Stable, so moves that order equally keep the order the seed gave them.
void order_moves(const position& pos, move_list& moves) {
  std::array<int, kMaxMoves> scores{};
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const move m = moves[i];
    const int score = order_score(pos, m);
    std::size_t j = i;
    for (; j > 0 && scores[j - 1] < score; --j) {
      moves[j] = moves[j - 1];
      scores[j] = scores[j - 1];
    }
    moves[j] = m;
    scores[j] = score;
  }
}

class searcher {
 public:
  explicit searcher(const search_budget& budget) : budget_(budget) {}

  std::optional<search_result> run(const position& root, std::uint64_t seed);

 private:
  // Searches every root move at `depth`; false when the node budget ran out first.
  bool search_root(position& pos, move_list& moves, int depth);
  int negamax(position& pos, int depth, int alpha, int beta, int ply);
  int quiesce(position& pos, int alpha, int beta, int ply);
  bool out_of_budget() {
    if (may_abort_ && nodes_ >= budget_.max_nodes) aborted_ = true;
    return aborted_;
  }

  search_budget budget_;
  std::uint64_t nodes_ = 0;
  bool may_abort_ = false;  // not during depth 1, so there is always a move
  bool aborted_ = false;
  int best_score_ = -kInfinity;
};

std::optional<search_result> searcher::run(const position& root, std::uint64_t seed) {
  move_list moves = legal_moves(root);
  if (moves.empty()) return std::nullopt;
  std::uint64_t random = seed;
  for (std::size_t i = moves.size() - 1; i > 0; --i) {
    std::swap(moves[i], moves[next_random(random) % (i + 1)]);
  }
  order_moves(root, moves);
  position pos = root;
  for (int depth = 1; depth <= budget_.max_depth; ++depth) {
    may_abort_ = depth > 1;
    if (!search_root(pos, moves, depth) || is_mate_score(best_score_)) break;
  }
  return search_result{moves[0], best_score_};
}

// Keeps the best move at the front of `moves`, so the next depth searches it first and a tie keeps it.
bool searcher::search_root(position& pos, move_list& moves, int depth) {
  int alpha = -kInfinity;
  std::size_t best = 0;
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const undo_info undo = pos.make(moves[i]);
    const int score = -negamax(pos, depth - 1, -kInfinity, -alpha, 1);
    pos.unmake(moves[i], undo);
    if (aborted_) return false;
    if (score > alpha) {
      alpha = score;
      best = i;
    }
  }
  std::rotate(moves.begin(), moves.begin() + static_cast<std::ptrdiff_t>(best),
              moves.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  best_score_ = alpha;
  return true;
}

int searcher::negamax(position& pos, int depth, int alpha, int beta, int ply) {
  if (out_of_budget()) return 0;
  const bool in_check = pos.in_check();
  if (in_check && ply < kMaxPly / 2) ++depth;  // look past checks: that is where short mates hide
  if (depth <= 0) return quiesce(pos, alpha, beta, ply);
  ++nodes_;
  move_list moves = legal_moves(pos);
  if (moves.empty()) return in_check ? -kMateScore + ply : 0;
  if (pos.halfmove_clock() >= kFiftyMoveHalfmoves || insufficient_material(pos)) return 0;
  order_moves(pos, moves);
  int best = -kInfinity;
  for (const move& m : moves) {
    const undo_info undo = pos.make(m);
    const int score = -negamax(pos, depth - 1, -beta, -alpha, ply + 1);
    pos.unmake(m, undo);
    if (aborted_) return 0;
    best = std::max(best, score);
    alpha = std::max(alpha, score);
    if (alpha >= beta) break;
  }
  return best;
}

// Only captures and promotions, so the evaluation is never taken in the middle of an exchange; in check,
// every evasion, so a mate at the horizon is still seen.
int searcher::quiesce(position& pos, int alpha, int beta, int ply) {
  ++nodes_;
  const bool in_check = pos.in_check();
  if (ply >= kMaxPly) return evaluate(pos);
  int best = -kInfinity;
  if (!in_check) {
    best = evaluate(pos);
    if (best >= beta) return best;
    alpha = std::max(alpha, best);
  }
  move_list moves = legal_moves(pos, in_check ? move_filter::all : move_filter::captures_and_promotions);
  if (in_check && moves.empty()) return -kMateScore + ply;
  order_moves(pos, moves);
  for (const move& m : moves) {
    const undo_info undo = pos.make(m);
    const int score = -quiesce(pos, -beta, -alpha, ply + 1);
    pos.unmake(m, undo);
    best = std::max(best, score);
    alpha = std::max(alpha, score);
    if (alpha >= beta) break;
  }
  return best;
}

}  // namespace

std::expected<void, refusal> search_budget::validate() const {
  if (max_depth < 1 || max_depth > kMaxSearchDepth) {
    return std::unexpected("max_depth must be between 1 and " + std::to_string(kMaxSearchDepth));
  }
  if (max_nodes < 1) return std::unexpected(refusal("max_nodes must be at least 1"));
  return {};
}

std::optional<search_result> search(const position& pos, const search_budget& budget, std::uint64_t seed) {
  search_budget clamped = budget;
  clamped.max_depth = std::clamp(budget.max_depth, 1, kMaxSearchDepth);
  return searcher(clamped).run(pos, seed);
}

std::optional<move> choose_move(const position& pos, const search_budget& budget, std::uint64_t seed) {
  auto found = search(pos, budget, seed);
  return found ? std::optional<move>(found->best) : std::nullopt;
}

std::optional<move> choose_move(const chess_state& state, const search_budget& budget, std::uint64_t seed) {
  if (state.outcome()) return std::nullopt;
  return choose_move(state.current(), budget, seed);
}

}  // namespace guildhall::services::chess_bot
