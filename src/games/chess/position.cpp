#include "games/chess/position.hpp"

#include <string>

#include "games/chess/detail/geometry.hpp"

namespace guildhall::games::chess {
namespace {

using detail::kCastlingPaths;

// Castling rights that survive a move touching a square: moving the king or a rook, or capturing a rook on its
// home square, loses the matching right. make() keeps `rights & mask[from] & mask[to]`.
constexpr std::array<castling_rights, 128> make_castling_masks() {
  std::array<castling_rights, 128> masks{};
  masks.fill(kAllCastling);
  for (const auto& path : kCastlingPaths) {
    masks[path.king_from] &= static_cast<castling_rights>(~path.right);
    masks[path.rook_from] &= static_cast<castling_rights>(~path.right);
  }
  return masks;
}
constexpr std::array<castling_rights, 128> kCastlingMasks = make_castling_masks();

constexpr bool holds(const std::array<piece, 64>& board, square sq, piece p) {
  return board[static_cast<std::size_t>(rank_of(sq) * 8 + file_of(sq))] == p;
}

std::string side_name(color c) { return c == color::white ? "white" : "black"; }

std::expected<void, refusal> check_material(const std::array<piece, 64>& board) {
  int kings[2] = {0, 0}, pieces[2] = {0, 0}, pawns[2] = {0, 0};
  for (std::size_t i = 0; i < board.size(); ++i) {
    const piece p = board[i];
    if (p == piece::none) continue;
    const int side = static_cast<int>(color_of(p));
    ++pieces[side];
    if (type_of(p) == piece_type::king) ++kings[side];
    if (type_of(p) == piece_type::pawn) {
      ++pawns[side];
      if (i < 8 || i >= 56) return std::unexpected("a pawn cannot stand on the first or last rank");
    }
  }
  for (color c : {color::white, color::black}) {
    const int side = static_cast<int>(c);
    if (kings[side] != 1) return std::unexpected(side_name(c) + " must have exactly one king");
    if (pieces[side] > 16) return std::unexpected(side_name(c) + " has more than 16 pieces");
    if (pawns[side] > 8) return std::unexpected(side_name(c) + " has more than 8 pawns");
  }
  return {};
}

std::expected<void, refusal> check_castling(const position_setup& setup) {
  static constexpr const char* kLetters = "KQkq";
  for (std::size_t i = 0; i < kCastlingPaths.size(); ++i) {
    const auto& path = kCastlingPaths[i];
    if ((setup.castling & path.right) == 0) continue;
    if (!holds(setup.board, path.king_from, make_piece(path.side, piece_type::king)) ||
        !holds(setup.board, path.rook_from, make_piece(path.side, piece_type::rook))) {
      return std::unexpected(std::string("castling right '") + kLetters[i] + "' needs the " + side_name(path.side) +
                             " king on " + square_name(path.king_from) + " and a rook on " +
                             square_name(path.rook_from));
    }
  }
  return {};
}

// The en-passant square must be one a double push by the side not to move has just skipped.
std::expected<void, refusal> check_en_passant(const position_setup& setup) {
  const square ep = setup.en_passant;
  if (ep == kNoSquare) return {};
  const color mover = opposite(setup.side_to_move);
  const int expected_rank = mover == color::white ? 2 : 5;
  const int forward = detail::pawn_forward(mover);
  const auto refuse = [&] {
    return std::unexpected("no double pawn push can have left the en-passant square " + square_name(ep));
  };
  if (rank_of(ep) != expected_rank) return refuse();
  if (!holds(setup.board, ep, piece::none) || !holds(setup.board, static_cast<square>(ep - forward), piece::none) ||
      !holds(setup.board, static_cast<square>(ep + forward), make_piece(mover, piece_type::pawn))) {
    return refuse();
  }
  return {};
}

}  // namespace

position::position() {
  static constexpr std::array<piece_type, 8> kBackRank{piece_type::rook, piece_type::knight, piece_type::bishop,
                                                       piece_type::queen, piece_type::king, piece_type::bishop,
                                                       piece_type::knight, piece_type::rook};
  for (int file = 0; file < 8; ++file) {
    board_[make_square(file, 0)] = make_piece(color::white, kBackRank[static_cast<std::size_t>(file)]);
    board_[make_square(file, 1)] = make_piece(color::white, piece_type::pawn);
    board_[make_square(file, 6)] = make_piece(color::black, piece_type::pawn);
    board_[make_square(file, 7)] = make_piece(color::black, kBackRank[static_cast<std::size_t>(file)]);
  }
  kings_ = {make_square(4, 0), make_square(4, 7)};
  castling_ = kAllCastling;
}

std::expected<position, refusal> position::from_setup(const position_setup& setup) {
  if (auto ok = check_material(setup.board); !ok) return std::unexpected(ok.error());
  if (auto ok = check_castling(setup); !ok) return std::unexpected(ok.error());
  if (auto ok = check_en_passant(setup); !ok) return std::unexpected(ok.error());
  if (setup.halfmove_clock < 0 || setup.halfmove_clock > kMaxClock) {
    return std::unexpected("the halfmove clock must be between 0 and " + std::to_string(kMaxClock));
  }
  if (setup.fullmove_number < 1 || setup.fullmove_number > kMaxClock) {
    return std::unexpected("the move number must be between 1 and " + std::to_string(kMaxClock));
  }
  position result;
  result.board_.fill(piece::none);
  for (int index = 0; index < 64; ++index) {
    const piece p = setup.board[static_cast<std::size_t>(index)];
    const square sq = make_square(index % 8, index / 8);
    result.board_[sq] = p;
    if (type_of(p) == piece_type::king) result.kings_[static_cast<int>(color_of(p))] = sq;
  }
  result.side_ = setup.side_to_move;
  result.castling_ = setup.castling;
  result.en_passant_ = setup.en_passant;
  result.halfmove_clock_ = static_cast<std::uint16_t>(setup.halfmove_clock);
  result.fullmove_number_ = static_cast<std::uint16_t>(setup.fullmove_number);
  const color waiting = opposite(setup.side_to_move);
  if (result.attacked(result.king_square(waiting), setup.side_to_move)) {
    return std::unexpected(side_name(waiting) + " is in check but it is " + side_name(setup.side_to_move) +
                           "'s move");
  }
  return result;
}

bool position::attacked(square sq, color by) const {
  const int target = sq;
  const piece pawn = make_piece(by, piece_type::pawn);
  const int behind = -detail::pawn_forward(by);  // attacking pawns stand one rank behind, seen from `by`
  for (int side_step : {-1, 1}) {
    const int from = target + behind + side_step;
    if (on_board(from) && board_[static_cast<std::size_t>(from)] == pawn) return true;
  }
  const piece knight = make_piece(by, piece_type::knight);
  for (int step : detail::kKnightSteps) {
    const int from = target + step;
    if (on_board(from) && board_[static_cast<std::size_t>(from)] == knight) return true;
  }
  const piece king = make_piece(by, piece_type::king);
  for (int step : detail::kKingSteps) {
    const int from = target + step;
    if (on_board(from) && board_[static_cast<std::size_t>(from)] == king) return true;
  }
  const piece queen = make_piece(by, piece_type::queen);
  const auto slides_to = [&](const auto& steps, piece slider) {
    for (int step : steps) {
      for (int from = target + step; on_board(from); from += step) {
        const piece p = board_[static_cast<std::size_t>(from)];
        if (p == piece::none) continue;
        if (p == slider || p == queen) return true;
        break;
      }
    }
    return false;
  };
  return slides_to(detail::kDiagonalSteps, make_piece(by, piece_type::bishop)) ||
         slides_to(detail::kStraightSteps, make_piece(by, piece_type::rook));
}

void position::move_piece(square from, square to) {
  board_[to] = board_[from];
  board_[from] = piece::none;
}

void position::set_en_passant_after_double_push(square to) {
  const piece enemy_pawn = make_piece(opposite(side_), piece_type::pawn);
  for (int side_step : {-1, 1}) {
    const int beside = to + side_step;
    if (on_board(beside) && board_[static_cast<std::size_t>(beside)] == enemy_pawn) {
      en_passant_ = static_cast<square>(to - detail::pawn_forward(side_));
      return;
    }
  }
}

undo_info position::make(const move& m) {
  const undo_info undo{m.captured, castling_, en_passant_, halfmove_clock_};
  const piece moving = board_[m.from];
  const bool resets_clock = type_of(moving) == piece_type::pawn || m.is_capture();
  halfmove_clock_ = resets_clock ? 0 : static_cast<std::uint16_t>(halfmove_clock_ + 1);
  en_passant_ = kNoSquare;
  move_piece(m.from, m.to);
  switch (m.kind) {
    case move_kind::normal:
      if (m.promotion != piece_type::none) board_[m.to] = make_piece(side_, m.promotion);
      break;
    case move_kind::double_push:
      set_en_passant_after_double_push(m.to);
      break;
    case move_kind::en_passant:
      board_[static_cast<std::size_t>(m.to - detail::pawn_forward(side_))] = piece::none;
      break;
    case move_kind::castle: {
      const auto& path = detail::castling_path_to(m.to);
      move_piece(path.rook_from, path.rook_to);
      break;
    }
  }
  if (type_of(moving) == piece_type::king) kings_[static_cast<int>(side_)] = m.to;
  castling_ &= kCastlingMasks[m.from] & kCastlingMasks[m.to];
  if (side_ == color::black) ++fullmove_number_;
  side_ = opposite(side_);
  return undo;
}

void position::unmake(const move& m, const undo_info& undo) {
  side_ = opposite(side_);
  if (side_ == color::black) --fullmove_number_;
  castling_ = undo.castling;
  en_passant_ = undo.en_passant;
  halfmove_clock_ = undo.halfmove_clock;
  move_piece(m.to, m.from);
  if (m.promotion != piece_type::none) board_[m.from] = make_piece(side_, piece_type::pawn);
  if (type_of(board_[m.from]) == piece_type::king) kings_[static_cast<int>(side_)] = m.from;
  switch (m.kind) {
    case move_kind::en_passant:
      board_[static_cast<std::size_t>(m.to - detail::pawn_forward(side_))] = undo.captured;
      break;
    case move_kind::castle: {
      const auto& path = detail::castling_path_to(m.to);
      move_piece(path.rook_to, path.rook_from);
      break;
    }
    case move_kind::normal:
    case move_kind::double_push:
      board_[m.to] = undo.captured;
      break;
  }
}

}  // namespace guildhall::games::chess
