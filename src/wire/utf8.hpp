#pragma once
#include <string_view>

namespace guildhall::wire {

// Strict UTF-8 (RFC 3629): rejects overlong forms, surrogates, code points past U+10FFFF and truncation.
bool is_valid_utf8(std::string_view text);

}  // namespace guildhall::wire
