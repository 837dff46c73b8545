#include "services/rooms/room_label.hpp"

#include <cctype>

namespace guildhall::services {
namespace {

// Nesting a label may use in its (kept-as-text) values: enough for {"teams":[[1,2],[3]]}, no stack to exhaust.
constexpr int kMaxDepth = 8;

class label_parser {
 public:
  explicit label_parser(std::string_view text) : text_(text) {}

  std::optional<label_fields> object() {
    label_fields out;
    skip_space();
    if (!eat('{')) return std::nullopt;
    skip_space();
    if (eat('}')) return finish(std::move(out));
    while (true) {
      skip_space();
      auto name = string();
      if (!name) return std::nullopt;
      skip_space();
      if (!eat(':')) return std::nullopt;
      skip_space();
      auto value = any_value();
      if (!value) return std::nullopt;
      out.insert_or_assign(std::move(*name), std::move(*value));
      skip_space();
      if (eat('}')) return finish(std::move(out));
      if (!eat(',')) return std::nullopt;
    }
  }

 private:
  std::optional<label_fields> finish(label_fields out) {
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return out;
  }
  bool eat(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) ++at_;
  }
  // A JSON string, unescaped (\uXXXX kept as written: labels are for matching, not display).
  std::optional<std::string> string() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_ >= text_.size()) return std::nullopt;
      const char e = text_[at_++];
      switch (e) {
        case '"': case '\\': case '/': out.push_back(e); break;
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'u': out += "\\u"; break;
        default: return std::nullopt;
      }
    }
    return std::nullopt;
  }
  // A scalar as written, or a nested value as its JSON text.
  std::optional<std::string> any_value() {
    if (at_ < text_.size() && text_[at_] == '"') return string();
    const std::size_t start = at_;
    if (!skip_value(0)) return std::nullopt;
    return std::string(text_.substr(start, at_ - start));
  }
  bool skip_value(int depth) {
    if (depth > kMaxDepth || at_ >= text_.size()) return false;
    const char c = text_[at_];
    if (c == '"') return string().has_value();
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++at_;
      skip_space();
      if (eat(close)) return true;
      while (true) {
        skip_space();
        if (c == '{') {
          if (!string()) return false;
          skip_space();
          if (!eat(':')) return false;
          skip_space();
        }
        if (!skip_value(depth + 1)) return false;
        skip_space();
        if (eat(close)) return true;
        if (!eat(',')) return false;
      }
    }
    // true, false, null or a number: a run of their characters.
    const std::size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '-' ||
                                  text_[at_] == '+' || text_[at_] == '.')) {
      ++at_;
    }
    const std::string_view word = text_.substr(start, at_ - start);
    if (word == "true" || word == "false" || word == "null") return true;
    if (word.empty() || !(std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-')) return false;
    for (char d : word) {
      if (!(std::isdigit(static_cast<unsigned char>(d)) || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E')) return false;
    }
    return true;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<label_fields> parse_label(std::string_view json) {
  if (json.size() > kMaxLabelBytes) return std::nullopt;
  return label_parser(json).object();
}

bool label_matches(const label_fields& label, const std::map<std::string, std::string, std::less<>>& filter) {
  for (const auto& [name, wanted] : filter) {
    const auto it = label.find(name);
    if (it == label.end() || it->second != wanted) return false;
  }
  return true;
}

}  // namespace guildhall::services
