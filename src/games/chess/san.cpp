#include "games/chess/san.hpp"

#include <cctype>
#include <optional>

#include "games/chess/detail/quote.hpp"
#include "games/chess/movegen.hpp"

namespace guildhall::games::chess {
namespace {

std::string disambiguation(const position& pos, const move& m, const move_list& moves) {
  const piece_type type = type_of(pos.at(m.from));
  bool clash = false, same_file = false, same_rank = false;
  for (const move& other : moves) {
    if (other.to != m.to || other.from == m.from || type_of(pos.at(other.from)) != type) continue;
    clash = true;
    same_file = same_file || file_of(other.from) == file_of(m.from);
    same_rank = same_rank || rank_of(other.from) == rank_of(m.from);
  }
  if (!clash) return "";
  const std::string from = square_name(m.from);
  if (!same_file) return from.substr(0, 1);
  if (!same_rank) return from.substr(1, 1);
  return from;
}

std::string check_suffix(const position& pos, const move& m) {
  position after = pos;
  after.make(m);
  if (!after.in_check()) return "";
  return has_legal_move(after) ? "+" : "#";
}

// What a SAN text says about the move it names; unset parts match anything.
struct san_pattern {
  piece_type type = piece_type::pawn;
  std::optional<int> from_file;
  std::optional<int> from_rank;
  square to = kNoSquare;
  piece_type promotion = piece_type::none;
};

// Reads "[piece][file][rank][x|-]square[[=]promotion]" with annotations already stripped.
std::optional<san_pattern> read_pattern(std::string_view text) {
  san_pattern pattern;
  if (!text.empty() && std::string_view("NBRQKP").find(text.front()) != std::string_view::npos) {
    pattern.type = piece_type_from_letter(text.front());
    text.remove_prefix(1);
  }
  if (pattern.type == piece_type::pawn && text.size() >= 3) {
    const char last = text.back();
    const bool after_equals = text[text.size() - 2] == '=';
    if ((after_equals && std::string_view("QRBNqrbn").find(last) != std::string_view::npos) ||
        std::string_view("QRBN").find(last) != std::string_view::npos) {
      pattern.promotion = piece_type_from_letter(last);
      text.remove_suffix(after_equals ? 2 : 1);
    }
  }
  if (text.size() < 2) return std::nullopt;
  const auto to = parse_square(text.substr(text.size() - 2));
  if (!to) return std::nullopt;
  pattern.to = *to;
  text.remove_suffix(2);
  if (!text.empty() && (text.back() == 'x' || text.back() == '-')) text.remove_suffix(1);
  if (!text.empty() && text.front() >= 'a' && text.front() <= 'h') {
    pattern.from_file = text.front() - 'a';
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() >= '1' && text.front() <= '8') {
    pattern.from_rank = text.front() - '1';
    text.remove_prefix(1);
  }
  if (!text.empty()) return std::nullopt;
  return pattern;
}

bool matches(const position& pos, const move& m, const san_pattern& pattern) {
  if (m.to != pattern.to || m.kind == move_kind::castle || type_of(pos.at(m.from)) != pattern.type) return false;
  if (pattern.from_file && file_of(m.from) != *pattern.from_file) return false;
  if (pattern.from_rank && rank_of(m.from) != *pattern.from_rank) return false;
  // Without a file, a pawn move is a push: "d5" never means the capture exd5.
  if (pattern.type == piece_type::pawn && !pattern.from_file && file_of(m.from) != file_of(m.to)) return false;
  // A promotion without a piece matches all four, so the caller can ask which one was meant.
  return pattern.promotion == piece_type::none || m.promotion == pattern.promotion;
}

std::string_view strip_annotations(std::string_view text) {
  while (!text.empty() && std::string_view("+#!? \t").find(text.back()) != std::string_view::npos) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

std::optional<square> castling_target(const position& pos, std::string_view text) {
  std::string normal;
  for (char ch : text) normal += ch == '0' || ch == 'o' ? 'O' : ch;
  const int rank = pos.side_to_move() == color::white ? 0 : 7;
  if (normal == "O-O") return make_square(6, rank);
  if (normal == "O-O-O") return make_square(2, rank);
  return std::nullopt;
}

std::expected<move, refusal> parse_castling(const position& pos, square king_to) {
  for (const move& m : legal_moves(pos)) {
    if (m.kind == move_kind::castle && m.to == king_to) return m;
  }
  const bool king_side = file_of(king_to) == 6;
  return std::unexpected(std::string("castling ") + (king_side ? "king" : "queen") + " side is not legal here");
}

refusal not_legal(const position& pos, std::string_view text) {
  std::string reason = detail::quote(text) + " is not a legal move";
  if (pos.in_check()) reason += " (your king is in check)";
  return reason;
}

refusal ambiguous(const position& pos, std::string_view text, const move& first, const move& second) {
  if (first.from == second.from) {
    return detail::quote(text) + " needs a promotion piece, e.g. " + square_name(first.to) + "=Q";
  }
  std::string example = to_san(pos, first);
  while (!example.empty() && (example.back() == '+' || example.back() == '#')) example.pop_back();
  return detail::quote(text) + " is ambiguous: more than one piece can go there (say which, e.g. " + example + ")";
}

}  // namespace

std::string to_san(const position& pos, const move& m) {
  std::string san;
  if (m.kind == move_kind::castle) {
    san = file_of(m.to) == 6 ? "O-O" : "O-O-O";
  } else {
    const piece_type type = type_of(pos.at(m.from));
    if (type == piece_type::pawn) {
      if (m.is_capture()) san += static_cast<char>('a' + file_of(m.from));
    } else {
      san += piece_letter(type);
      san += disambiguation(pos, m, legal_moves(pos));
    }
    if (m.is_capture()) san += 'x';
    san += square_name(m.to);
    if (m.promotion != piece_type::none) {
      san += '=';
      san += piece_letter(m.promotion);
    }
  }
  return san + check_suffix(pos, m);
}

std::expected<move, refusal> parse_san(const position& pos, std::string_view text) {
  const std::string_view bare = strip_annotations(text);
  if (const auto king_to = castling_target(pos, bare)) return parse_castling(pos, *king_to);
  const auto pattern = read_pattern(bare);
  if (!pattern) {
    return std::unexpected("cannot read " + detail::quote(text) + " as a move: use SAN like Nf3 or UCI like g1f3");
  }
  std::optional<move> found;
  for (const move& m : legal_moves(pos)) {
    if (!matches(pos, m, *pattern)) continue;
    if (found) return std::unexpected(ambiguous(pos, bare, *found, m));
    found = m;
  }
  if (!found) return std::unexpected(not_legal(pos, bare));
  return *found;
}

}  // namespace guildhall::games::chess
