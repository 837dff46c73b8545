#pragma once
// What the cross-language vector tests (SnapshotVectors, UdpVectors) share: bytes as lowercase hex in the JSON they
// write, and the check that a checked-in fixture still equals what the C++ codecs produce now, rewriting it first
// when the named environment variable is set.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <span>
#include <sstream>
#include <string>

namespace guildhall::test {

inline std::string hex(std::span<const std::uint8_t> data) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (auto b : data) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

// Fails the running test when the file at `path` differs from `expected`, saying to regenerate it with
// `update_variable` and then run `reader` (the other language's test of the same fixture). With `update_variable`
// set in the environment it writes `expected` there first (and so passes).
inline void expect_fixture_current(const char* path, const std::string& expected, const char* update_variable,
                                   const char* reader) {
  if (std::getenv(update_variable) != nullptr) {
    std::ofstream(path, std::ios::binary) << expected;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream stored;
  stored << in.rdbuf();
  EXPECT_TRUE(stored.str() == expected)
      << path << " is stale: regenerate it with " << update_variable << "=1 and run " << reader;
}

}  // namespace guildhall::test
