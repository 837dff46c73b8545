#include "cli/line_editor.hpp"

#include <utility>

#include "cli/text_width.hpp"

namespace guildhall::cli {
namespace {

constexpr char kStartOfLine = 0x01;  // ^A
constexpr char kEndOfText = 0x03;    // ^C
constexpr char kEndOfFile = 0x04;    // ^D
constexpr char kEndOfLine = 0x05;    // ^E
constexpr char kBackspace = 0x08;
constexpr char kEraseToEnd = 0x0b;  // ^K
constexpr char kEraseLine = 0x15;   // ^U
constexpr char kEraseWord = 0x17;   // ^W
constexpr char kEscape = 0x1b;
constexpr char kDelete = 0x7f;

// Known sequences have at most one parameter byte; the cap keeps a hostile stream of parameters from growing
// the buffer while the sequence is still skipped whole.
constexpr std::size_t kMaxEscapeParameters = 8;

// Bytes in the code point a UTF-8 lead byte starts; 0 for a byte that cannot start one.
std::size_t code_point_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::vector<std::string> line_editor::feed(std::string_view bytes) {
  std::vector<std::string> finished;
  for (const char byte : bytes) {
    if (ended_) break;
    std::string line;
    if (apply(byte, line)) finished.push_back(std::move(line));
  }
  return finished;
}

bool line_editor::apply(char byte, std::string& finished) {
  if (escape_ != escape::none) {
    apply_escape(byte);
    return false;
  }
  const bool after_return = std::exchange(after_return_, byte == '\r');
  if (byte == '\n' && after_return) return false;  // the \n of a \r\n pair
  if (byte == '\r' || byte == '\n') {
    finished = finish_line();
    return true;
  }
  const auto unsigned_byte = static_cast<unsigned char>(byte);
  if (unsigned_byte < 0x20 || byte == kDelete) {
    partial_code_point_.clear();  // a key in the middle of a code point: the code point was broken
    apply_control(byte);
  } else {
    apply_text(byte);
  }
  return false;
}

void line_editor::apply_control(char byte) {
  switch (byte) {
    case kEndOfText: ended_ = true; return;
    case kEndOfFile: ended_ = line_.empty(); return;
    case kStartOfLine: cursor_ = 0; return;
    case kEndOfLine: cursor_ = line_.size(); return;
    case kBackspace:
    case kDelete: return erase(previous_code_point(cursor_), cursor_);
    case kEraseLine: return erase(0, cursor_);
    case kEraseWord: return erase(previous_word(cursor_), cursor_);
    case kEraseToEnd: return erase(cursor_, line_.size());
    case kEscape: escape_ = escape::after_escape; return;
    default: return;  // tab, ^L and the rest mean nothing here
  }
}

// Collects a multi-byte code point until it is whole, so that the line never holds half of one.
void line_editor::apply_text(char byte) {
  const auto unsigned_byte = static_cast<unsigned char>(byte);
  if (!starts_code_point(byte)) {
    if (partial_code_point_.empty()) return;  // a stray continuation byte
    partial_code_point_.push_back(byte);
  } else {
    partial_code_point_.assign(1, byte);
    code_point_bytes_ = code_point_length(unsigned_byte);
    if (code_point_bytes_ == 0) return partial_code_point_.clear();
  }
  if (partial_code_point_.size() < code_point_bytes_) return;
  insert(partial_code_point_);
  partial_code_point_.clear();
}

// ESC, then '[' or 'O', then parameter bytes up to a final byte in 0x40-0x7e. ESC followed by anything else
// (Alt and a key) drops both bytes; a second ESC (the Esc key, then an arrow) starts over.
void line_editor::apply_escape(char byte) {
  if (escape_ == escape::after_escape) {
    if (byte == kEscape) return;
    const bool sequence = byte == '[' || byte == 'O';
    escape_ = sequence ? escape::in_sequence : escape::none;
    escape_introducer_ = byte;
    escape_parameters_.clear();
    return;
  }
  if (byte >= 0x40 && byte <= 0x7e) {
    escape_ = escape::none;
    return run_escape_sequence(byte);
  }
  if (escape_parameters_.size() < kMaxEscapeParameters) escape_parameters_.push_back(byte);
}

void line_editor::run_escape_sequence(char final_byte) {
  const std::string_view parameters = escape_parameters_;
  if (final_byte == '~' && escape_introducer_ == '[') {
    if (parameters == "1" || parameters == "7") cursor_ = 0;
    else if (parameters == "4" || parameters == "8") cursor_ = line_.size();
    else if (parameters == "3") erase(cursor_, next_code_point(cursor_));
    return;
  }
  if (!parameters.empty()) return;  // a modified key (Ctrl+Left is ESC [ 1 ; 5 D): not one of ours
  switch (final_byte) {
    case 'A': return recall(history_index_ == 0 ? 0 : history_index_ - 1);
    case 'B': return recall(history_index_ == history_.size() ? history_index_ : history_index_ + 1);
    case 'C': cursor_ = next_code_point(cursor_); return;
    case 'D': cursor_ = previous_code_point(cursor_); return;
    case 'H': cursor_ = 0; return;
    case 'F': cursor_ = line_.size(); return;
    default: return;
  }
}

std::string line_editor::finish_line() {
  std::string line = std::exchange(line_, {});
  cursor_ = 0;
  partial_code_point_.clear();
  draft_.clear();
  if (!line.empty() && (history_.empty() || history_.back() != line)) {
    history_.push_back(line);
    if (history_.size() > kMaxHistoryLines) history_.pop_front();
  }
  history_index_ = history_.size();
  return line;
}

void line_editor::insert(std::string_view code_point) {
  if (line_.size() + code_point.size() > kMaxLineBytes) return;
  line_.insert(cursor_, code_point);
  cursor_ += code_point.size();
}

void line_editor::erase(std::size_t from, std::size_t to) {
  line_.erase(from, to - from);
  cursor_ = from;
}

std::size_t line_editor::previous_code_point(std::size_t at) const {
  if (at == 0) return 0;
  do --at;
  while (at > 0 && !starts_code_point(line_[at]));
  return at;
}

std::size_t line_editor::next_code_point(std::size_t at) const {
  if (at == line_.size()) return at;
  do ++at;
  while (at < line_.size() && !starts_code_point(line_[at]));
  return at;
}

// The start of the word before `at`, past any spaces between: what ^W erases in a shell.
std::size_t line_editor::previous_word(std::size_t at) const {
  while (at > 0 && line_[at - 1] == ' ') --at;
  while (at > 0 && line_[at - 1] != ' ') --at;
  return at;
}

void line_editor::recall(std::size_t history_index) {
  if (history_index == history_index_) return;
  if (history_index_ == history_.size()) draft_ = line_;
  history_index_ = history_index;
  line_ = history_index == history_.size() ? std::exchange(draft_, {}) : history_[history_index];
  cursor_ = line_.size();
}

}  // namespace guildhall::cli
