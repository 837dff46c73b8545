#pragma once
// Board geometry shared by position and move generation: 0x88 step offsets, castling squares, and the table
// that says whether two squares share a line. Private to the chess folder.
#include <array>

#include "games/chess/types.hpp"

namespace guildhall::games::chess::detail {

inline constexpr std::array<int, 8> kKnightSteps{33, 31, 18, 14, -14, -18, -31, -33};
inline constexpr std::array<int, 8> kKingSteps{1, -1, 16, -16, 15, 17, -15, -17};
inline constexpr std::array<int, 4> kDiagonalSteps{15, 17, -15, -17};
inline constexpr std::array<int, 4> kStraightSteps{1, -1, 16, -16};

constexpr int pawn_forward(color c) { return c == color::white ? 16 : -16; }
constexpr int pawn_start_rank(color c) { return c == color::white ? 1 : 6; }
constexpr int promotion_rank(color c) { return c == color::white ? 7 : 0; }

struct castling_path {
  castling_rights right;
  color side;
  square king_from;
  square king_to;
  square rook_from;
  square rook_to;
};

inline constexpr std::array<castling_path, 4> kCastlingPaths{{
    {kWhiteKingSide, color::white, 0x04, 0x06, 0x07, 0x05},
    {kWhiteQueenSide, color::white, 0x04, 0x02, 0x00, 0x03},
    {kBlackKingSide, color::black, 0x74, 0x76, 0x77, 0x75},
    {kBlackQueenSide, color::black, 0x74, 0x72, 0x70, 0x73},
}};

// The castling path a castle move to `king_to` follows.
constexpr const castling_path& castling_path_to(square king_to) {
  for (const auto& path : kCastlingPaths) {
    if (path.king_to == king_to) return path;
  }
  return kCastlingPaths[0];  // unreachable for a generated castle move
}

// In 0x88 the difference of two squares identifies the line between them; index by (to - from + 119).
constexpr std::array<bool, 239> make_line_table() {
  std::array<bool, 239> table{};
  for (int step : kKingSteps) {
    for (int distance = 1; distance < 8; ++distance) table[static_cast<std::size_t>(step * distance + 119)] = true;
  }
  return table;
}
inline constexpr std::array<bool, 239> kSameLine = make_line_table();

// Whether a rook, bishop or queen could ever stand between `a` and `b` (same rank, file or diagonal).
constexpr bool share_line(square a, square b) { return kSameLine[static_cast<std::size_t>(b - a + 119)]; }

}  // namespace guildhall::games::chess::detail
