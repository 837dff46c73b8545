#include "games/chess/movegen.hpp"

#include "games/chess/detail/geometry.hpp"

namespace guildhall::games::chess {
namespace {

constexpr std::array<piece_type, 4> kPromotions{piece_type::queen, piece_type::rook, piece_type::bishop,
                                                piece_type::knight};

// Pseudo-legal moves of the side to move: everything but "does it leave my king in check", which
// legal_moves() settles afterwards.
class pseudo_generator {
 public:
  pseudo_generator(const position& pos, move_filter filter, move_list& out)
      : pos_(pos), us_(pos.side_to_move()), captures_only_(filter == move_filter::captures_and_promotions),
        out_(out) {}

  void generate() {
    for (int sq = 0; sq < 128; ++sq) {
      if (!on_board(sq)) {
        sq += 7;  // skip the off-board half of the 0x88 row
        continue;
      }
      const piece p = pos_.at(static_cast<square>(sq));
      if (p == piece::none || color_of(p) != us_) continue;
      const auto from = static_cast<square>(sq);
      switch (type_of(p)) {
        case piece_type::pawn: pawn_moves(from); break;
        case piece_type::knight: step_moves(from, detail::kKnightSteps); break;
        case piece_type::bishop: slide_moves(from, detail::kDiagonalSteps); break;
        case piece_type::rook: slide_moves(from, detail::kStraightSteps); break;
        case piece_type::queen:
          slide_moves(from, detail::kDiagonalSteps);
          slide_moves(from, detail::kStraightSteps);
          break;
        case piece_type::king: step_moves(from, detail::kKingSteps); break;
        case piece_type::none: break;
      }
    }
    if (!captures_only_) castling_moves();
  }

 private:
  // Empty square: a quiet move; enemy piece: a capture; own piece: nothing.
  bool try_target(square from, int to) {
    const piece target = pos_.at(static_cast<square>(to));
    if (target == piece::none) {
      if (!captures_only_) out_.push_back({from, static_cast<square>(to)});
      return true;
    }
    if (color_of(target) != us_) {
      out_.push_back({from, static_cast<square>(to), piece_type::none, move_kind::normal, target});
    }
    return false;
  }

  template <std::size_t N>
  void step_moves(square from, const std::array<int, N>& steps) {
    for (int step : steps) {
      if (on_board(from + step)) try_target(from, from + step);
    }
  }

  template <std::size_t N>
  void slide_moves(square from, const std::array<int, N>& steps) {
    for (int step : steps) {
      for (int to = from + step; on_board(to) && try_target(from, to); to += step) {
      }
    }
  }

  void push_pawn_move(square from, square to, piece captured) {
    if (rank_of(to) == detail::promotion_rank(us_)) {
      for (piece_type promotion : kPromotions) out_.push_back({from, to, promotion, move_kind::normal, captured});
    } else if (captured != piece::none || !captures_only_) {
      out_.push_back({from, to, piece_type::none, move_kind::normal, captured});
    }
  }

  void pawn_moves(square from) {
    const int forward = detail::pawn_forward(us_);
    const int one = from + forward;
    if (pos_.at(static_cast<square>(one)) == piece::none) {
      push_pawn_move(from, static_cast<square>(one), piece::none);
      const int two = one + forward;
      if (!captures_only_ && rank_of(from) == detail::pawn_start_rank(us_) &&
          pos_.at(static_cast<square>(two)) == piece::none) {
        out_.push_back({from, static_cast<square>(two), piece_type::none, move_kind::double_push});
      }
    }
    for (int side_step : {-1, 1}) {
      const int to = one + side_step;
      if (!on_board(to)) continue;
      const piece target = pos_.at(static_cast<square>(to));
      if (target != piece::none && color_of(target) != us_) {
        push_pawn_move(from, static_cast<square>(to), target);
      } else if (to == pos_.en_passant()) {
        out_.push_back({from, static_cast<square>(to), piece_type::none, move_kind::en_passant,
                        make_piece(opposite(us_), piece_type::pawn)});
      }
    }
  }

  // The king's destination is checked with every other king move; here only the squares it starts on and
  // passes through, which the legality filter would not see.
  void castling_moves() {
    const color them = opposite(us_);
    for (const auto& path : detail::kCastlingPaths) {
      if (path.side != us_ || (pos_.castling() & path.right) == 0) continue;
      const int step = path.rook_from > path.king_from ? 1 : -1;
      bool clear = true;
      for (int sq = path.king_from + step; sq != path.rook_from; sq += step) {
        clear = clear && pos_.at(static_cast<square>(sq)) == piece::none;
      }
      if (!clear || pos_.attacked(path.king_from, them) || pos_.attacked(path.rook_to, them)) continue;
      out_.push_back({path.king_from, path.king_to, piece_type::none, move_kind::castle});
    }
  }

  const position& pos_;
  color us_;
  bool captures_only_;
  move_list& out_;
};

}  // namespace

move_list legal_moves(const position& pos, move_filter filter) {
  move_list pseudo;
  pseudo_generator(pos, filter, pseudo).generate();
  const color us = pos.side_to_move();
  const color them = opposite(us);
  const square king = pos.king_square(us);
  const bool in_check = pos.attacked(king, them);
  position scratch = pos;
  move_list legal;
  for (const move& m : pseudo) {
    // Out of check, only a king move, en passant (two pawns leave the rank) or a piece on a line through the
    // king can expose the king; everything else is legal without playing it.
    const bool risky =
        in_check || m.from == king || m.kind == move_kind::en_passant || detail::share_line(king, m.from);
    if (risky) {
      const undo_info undo = scratch.make(m);
      const bool exposed = scratch.attacked(scratch.king_square(us), them);
      scratch.unmake(m, undo);
      if (exposed) continue;
    }
    legal.push_back(m);
  }
  return legal;
}

bool has_legal_move(const position& pos) { return !legal_moves(pos).empty(); }

}  // namespace guildhall::games::chess
