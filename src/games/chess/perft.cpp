#include "games/chess/perft.hpp"

#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {
namespace {

std::uint64_t count(position& pos, int depth) {
  const move_list moves = legal_moves(pos);
  if (depth == 1) return moves.size();  // bulk counting: the last ply needs no make/unmake
  std::uint64_t nodes = 0;
  for (const move& m : moves) {
    const undo_info undo = pos.make(m);
    nodes += count(pos, depth - 1);
    pos.unmake(m, undo);
  }
  return nodes;
}

}  // namespace

std::uint64_t perft(const position& pos, int depth) {
  if (depth <= 0) return 1;
  position scratch = pos;
  return count(scratch, depth);
}

}  // namespace guildhall::games::chess
