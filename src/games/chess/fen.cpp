#include "games/chess/fen.hpp"

#include <charconv>
#include <vector>

namespace guildhall::games::chess {
namespace {

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    const std::size_t end = text.find_first_of(" \t\r\n", start);
    fields.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    pos = end == std::string_view::npos ? text.size() : end;
  }
  return fields;
}

std::expected<void, refusal> read_placement(std::string_view field, position_setup& setup) {
  int rank = 7;
  int file = 0;
  for (char ch : field) {
    if (ch == '/') {
      if (file != 8) return std::unexpected("rank " + std::to_string(rank + 1) + " does not have 8 squares");
      if (--rank < 0) return std::unexpected(refusal("the board has more than 8 ranks"));
      file = 0;
    } else if (ch >= '1' && ch <= '8') {
      file += ch - '0';
      if (file > 8) return std::unexpected("rank " + std::to_string(rank + 1) + " has more than 8 squares");
    } else {
      const piece_type type = piece_type_from_letter(ch);
      if (type == piece_type::none) return std::unexpected(std::string("unknown piece letter '") + ch + "'");
      if (file >= 8) return std::unexpected("rank " + std::to_string(rank + 1) + " has more than 8 squares");
      const color side = ch >= 'a' ? color::black : color::white;
      setup.board[static_cast<std::size_t>(rank * 8 + file)] = make_piece(side, type);
      ++file;
    }
  }
  if (rank != 0) return std::unexpected(refusal("the board must have 8 ranks separated by '/'"));
  if (file != 8) return std::unexpected(refusal("rank 1 does not have 8 squares"));
  return {};
}

std::expected<void, refusal> read_castling(std::string_view field, position_setup& setup) {
  if (field == "-") return {};
  static constexpr std::string_view kLetters = "KQkq";
  for (char ch : field) {
    const std::size_t index = kLetters.find(ch);
    if (index == std::string_view::npos) {
      return std::unexpected(std::string("castling rights must be '-' or letters from KQkq, not '") + ch +
                             "' (Chess960 is not supported)");
    }
    const auto right = static_cast<castling_rights>(1u << index);
    if ((setup.castling & right) != 0) return std::unexpected(std::string("castling right '") + ch + "' repeated");
    setup.castling |= right;
  }
  return {};
}

std::expected<int, refusal> read_number(std::string_view field, std::string_view what) {
  int value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc{} || end != field.data() + field.size()) {
    return std::unexpected(std::string(what) + " must be a number, not '" + std::string(field) + "'");
  }
  return value;
}

std::expected<position_setup, refusal> read_fields(const std::vector<std::string_view>& fields) {
  position_setup setup;
  if (auto ok = read_placement(fields[0], setup); !ok) return std::unexpected(ok.error());
  if (fields[1] != "w" && fields[1] != "b") return std::unexpected(refusal("the side to move must be 'w' or 'b'"));
  setup.side_to_move = fields[1] == "w" ? color::white : color::black;
  if (auto ok = read_castling(fields[2], setup); !ok) return std::unexpected(ok.error());
  if (fields[3] != "-") {
    const auto ep = parse_square(fields[3]);
    if (!ep) {
      return std::unexpected("the en-passant square must be '-' or a square, not '" + std::string(fields[3]) + "'");
    }
    setup.en_passant = *ep;
  }
  if (fields.size() == 6) {
    const auto halfmove = read_number(fields[4], "the halfmove clock");
    if (!halfmove) return std::unexpected(halfmove.error());
    const auto fullmove = read_number(fields[5], "the move number");
    if (!fullmove) return std::unexpected(fullmove.error());
    setup.halfmove_clock = *halfmove;
    setup.fullmove_number = *fullmove;
  }
  return setup;
}

}  // namespace

std::expected<position, refusal> parse_fen(std::string_view text) {
  if (text.size() > kMaxFenBytes) return std::unexpected(refusal("that FEN is too long"));
  const auto fields = split_fields(text);
  if (fields.size() != 6 && fields.size() != 4) {
    return std::unexpected(refusal("a FEN has 6 fields separated by spaces: board, side to move, castling, "
                                   "en passant, halfmove clock, move number"));
  }
  const auto setup = read_fields(fields);
  if (!setup) return std::unexpected(setup.error());
  return position::from_setup(*setup);
}

std::string to_fen(const position& pos) {
  std::string fen;
  for (int rank = 7; rank >= 0; --rank) {
    int empty = 0;
    for (int file = 0; file < 8; ++file) {
      const piece p = pos.at(make_square(file, rank));
      if (p == piece::none) {
        ++empty;
        continue;
      }
      if (empty > 0) fen += static_cast<char>('0' + empty);
      empty = 0;
      const char letter = piece_letter(type_of(p));
      fen += color_of(p) == color::white ? letter : static_cast<char>(letter - 'A' + 'a');
    }
    if (empty > 0) fen += static_cast<char>('0' + empty);
    if (rank > 0) fen += '/';
  }
  fen += pos.side_to_move() == color::white ? " w " : " b ";
  static constexpr std::string_view kLetters = "KQkq";
  const std::size_t before = fen.size();
  for (std::size_t i = 0; i < kLetters.size(); ++i) {
    if ((pos.castling() & (1u << i)) != 0) fen += kLetters[i];
  }
  if (fen.size() == before) fen += '-';
  fen += ' ';
  fen += pos.en_passant() == kNoSquare ? std::string("-") : square_name(pos.en_passant());
  fen += ' ' + std::to_string(pos.halfmove_clock()) + ' ' + std::to_string(pos.fullmove_number());
  return fen;
}

}  // namespace guildhall::games::chess
