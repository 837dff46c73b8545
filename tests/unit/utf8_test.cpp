// wire::is_valid_utf8: strict RFC 3629 validation, the gate for chat text and WebSocket text frames.
#include "wire/utf8.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

namespace guildhall::wire {
namespace {

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(Utf8, EmptyAndAsciiAreValid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello, world"));
  EXPECT_TRUE(is_valid_utf8(std::string("nul \0 inside", 12)));
  EXPECT_TRUE(is_valid_utf8(bytes({0x7f})));
}

TEST(Utf8, MultiByteCharactersAreValid) {
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));                     // é, 2 bytes
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));                    // €, 3 bytes
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));                // 😀, 4 bytes
  EXPECT_TRUE(is_valid_utf8("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"));  // 日本語
  EXPECT_TRUE(is_valid_utf8("mixed \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 end"));
}

TEST(Utf8, BoundaryCodePointsAreValid) {
  EXPECT_TRUE(is_valid_utf8(bytes({0xc2, 0x80})));              // U+0080, smallest 2-byte
  EXPECT_TRUE(is_valid_utf8(bytes({0xdf, 0xbf})));              // U+07FF
  EXPECT_TRUE(is_valid_utf8(bytes({0xe0, 0xa0, 0x80})));        // U+0800, smallest 3-byte
  EXPECT_TRUE(is_valid_utf8(bytes({0xed, 0x9f, 0xbf})));        // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8(bytes({0xee, 0x80, 0x80})));        // U+E000, just above them
  EXPECT_TRUE(is_valid_utf8(bytes({0xef, 0xbf, 0xbf})));        // U+FFFF
  EXPECT_TRUE(is_valid_utf8(bytes({0xf0, 0x90, 0x80, 0x80})));  // U+10000, smallest 4-byte
  EXPECT_TRUE(is_valid_utf8(bytes({0xf4, 0x8f, 0xbf, 0xbf})));  // U+10FFFF, the last code point
}

TEST(Utf8, OverlongFormsAreRejected) {
  EXPECT_FALSE(is_valid_utf8(bytes({0xc0, 0xaf})));              // '/' in 2 bytes
  EXPECT_FALSE(is_valid_utf8(bytes({0xc1, 0xbf})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xc0, 0x80})));              // "modified UTF-8" NUL
  EXPECT_FALSE(is_valid_utf8(bytes({0xe0, 0x80, 0xaf})));        // '/' in 3 bytes
  EXPECT_FALSE(is_valid_utf8(bytes({0xe0, 0x9f, 0xbf})));        // U+07FF in 3 bytes
  EXPECT_FALSE(is_valid_utf8(bytes({0xf0, 0x80, 0x80, 0xaf})));  // '/' in 4 bytes
  EXPECT_FALSE(is_valid_utf8(bytes({0xf0, 0x8f, 0xbf, 0xbf})));  // U+FFFF in 4 bytes
}

TEST(Utf8, SurrogatesAreRejected) {
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xa0, 0x80})));  // U+D800
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xaf, 0xbf})));  // U+DBFF
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xb0, 0x80})));  // U+DC00
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xbf, 0xbf})));  // U+DFFF
  // A CESU-8 surrogate pair for U+1F600.
  EXPECT_FALSE(is_valid_utf8(bytes({0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80})));
}

TEST(Utf8, CodePointsPastU10FFFFAreRejected) {
  EXPECT_FALSE(is_valid_utf8(bytes({0xf4, 0x90, 0x80, 0x80})));  // U+110000
  EXPECT_FALSE(is_valid_utf8(bytes({0xf7, 0xbf, 0xbf, 0xbf})));  // U+1FFFFF
  EXPECT_FALSE(is_valid_utf8(bytes({0xf8, 0x88, 0x80, 0x80, 0x80})));  // old 5-byte form
  EXPECT_FALSE(is_valid_utf8(bytes({0xfc, 0x84, 0x80, 0x80, 0x80, 0x80})));  // old 6-byte form
}

TEST(Utf8, InvalidLeadAndStrayBytesAreRejected) {
  EXPECT_FALSE(is_valid_utf8(bytes({0x80})));        // continuation with no lead
  EXPECT_FALSE(is_valid_utf8(bytes({0xbf})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xfe})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xff})));
  EXPECT_FALSE(is_valid_utf8("ok" + bytes({0x80}) + "ok"));
  EXPECT_FALSE(is_valid_utf8(bytes({0xc3, 0xa9, 0xa9})));  // one continuation too many
}

TEST(Utf8, TruncatedSequencesAreRejected) {
  EXPECT_FALSE(is_valid_utf8(bytes({0xc3})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xe2, 0x82})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xe2})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xf0, 0x9f, 0x98})));
  EXPECT_FALSE(is_valid_utf8("abc" + bytes({0xf0, 0x9f})));
  // A lead byte followed by ASCII instead of continuation bytes.
  EXPECT_FALSE(is_valid_utf8(bytes({0xe2, 'a', 'b'})));
  EXPECT_FALSE(is_valid_utf8(bytes({0xf0, 0x9f, 0x98, 'x'})));
}

TEST(Utf8, TruncationIsCaughtAtEveryCut) {
  const std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  const std::size_t boundaries[] = {0, 1, 3, 6, 10};
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    const bool on_boundary = std::find(std::begin(boundaries), std::end(boundaries), cut) != std::end(boundaries);
    EXPECT_EQ(is_valid_utf8(std::string_view(text).substr(0, cut)), on_boundary) << "cut at " << cut;
  }
}

TEST(Utf8, ViewIsNotReadPastItsEnd) {
  // The bytes after the view would complete the character; the view alone is truncated.
  const std::string backing = "\xe2\x82\xac";
  EXPECT_FALSE(is_valid_utf8(std::string_view(backing.data(), 2)));
}

}  // namespace
}  // namespace guildhall::wire
