#pragma once
// The vocabulary every chess file shares: colours, pieces, squares, castling rights and moves. Plain values,
// no behaviour beyond conversions.
//
// Squares use the 0x88 layout (index = rank * 16 + file, a1 = 0, h8 = 0x77): a step off the board sets a bit
// of 0x88, so move generation needs no edge tables. Treat a square as opaque outside this folder and build it
// with make_square / parse_square.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace guildhall::games::chess {

enum class color : std::uint8_t { white = 0, black = 1 };

constexpr color opposite(color c) { return c == color::white ? color::black : color::white; }

enum class piece_type : std::uint8_t { none = 0, pawn, knight, bishop, rook, queen, king };

// A coloured piece packed in one byte (type in bits 0-2, colour in bit 3) so a board is a byte array.
enum class piece : std::uint8_t { none = 0 };

constexpr piece make_piece(color c, piece_type t) {
  return static_cast<piece>(static_cast<std::uint8_t>(t) | static_cast<std::uint8_t>(c) << 3);
}
constexpr piece_type type_of(piece p) { return static_cast<piece_type>(static_cast<std::uint8_t>(p) & 7); }
constexpr color color_of(piece p) { return static_cast<color>(static_cast<std::uint8_t>(p) >> 3); }

using square = std::uint8_t;
constexpr square kNoSquare = 0x7f;  // off the board in 0x88, so it never equals a real square

constexpr bool on_board(int sq) { return (sq & 0x88) == 0; }
constexpr int file_of(square sq) { return sq & 7; }
constexpr int rank_of(square sq) { return sq >> 4; }
constexpr square make_square(int file, int rank) { return static_cast<square>(rank * 16 + file); }

// "e4" -> square; nullopt unless exactly a file letter a-h and a rank digit 1-8.
std::optional<square> parse_square(std::string_view text);
std::string square_name(square sq);

// Castling rights as a bit set; the FEN letters K, Q, k, q in that order.
using castling_rights = std::uint8_t;
constexpr castling_rights kWhiteKingSide = 1;
constexpr castling_rights kWhiteQueenSide = 2;
constexpr castling_rights kBlackKingSide = 4;
constexpr castling_rights kBlackQueenSide = 8;
constexpr castling_rights kAllCastling = 15;

enum class move_kind : std::uint8_t { normal, double_push, en_passant, castle };

// A move as the generator produces it. `captured` is filled by the generator (the pawn for en passant) so
// notation and move ordering need not look at the board again; two moves are the same move when from, to and
// promotion agree.
struct move {
  square from = kNoSquare;
  square to = kNoSquare;
  piece_type promotion = piece_type::none;
  move_kind kind = move_kind::normal;
  piece captured = piece::none;

  bool is_capture() const { return captured != piece::none; }
  bool same_as(const move& other) const {
    return from == other.from && to == other.to && promotion == other.promotion;
  }
  friend bool operator==(const move&, const move&) = default;
};

// Letter of a piece type as SAN and FEN write it for white ('N', 'B', ...); 'P' for a pawn, '?' for none.
char piece_letter(piece_type t);
// 'N' / 'n' -> knight and so on for the six letters PNBRQK in either case; none for anything else.
piece_type piece_type_from_letter(char letter);

}  // namespace guildhall::games::chess
