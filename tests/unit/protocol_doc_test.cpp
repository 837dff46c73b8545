// The protocol is data: docs/protocol.md must name every message and enum value of the .proto, so the doc
// cannot silently fall behind the protocol.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ProtocolDoc, NamesEveryMessageAndEnumValueOfTheProto) {
  const std::string proto = read_file(GUILDHALL_SOURCE_DIR "/src/wire/proto/guildhall/v1/guildhall.proto");
  const std::string doc = read_file(GUILDHALL_SOURCE_DIR "/docs/protocol.md");
  ASSERT_FALSE(proto.empty());
  ASSERT_FALSE(doc.empty());

  std::vector<std::string> names;
  const std::regex message(R"(^\s*message\s+(\w+))", std::regex::multiline);
  const std::regex enum_value(R"(^\s*([A-Z][A-Z0-9_]+)\s*=\s*\d+;)", std::regex::multiline);
  for (std::sregex_iterator it(proto.begin(), proto.end(), message), end; it != end; ++it) names.push_back((*it)[1]);
  for (std::sregex_iterator it(proto.begin(), proto.end(), enum_value), end; it != end; ++it) names.push_back((*it)[1]);
  EXPECT_GT(names.size(), 40u);
  for (const auto& name : names) {
    // As code: `Name` or `Name{fields}`.
    const bool named = doc.find("`" + name + "`") != std::string::npos || doc.find("`" + name + "{") != std::string::npos;
    EXPECT_TRUE(named) << "docs/protocol.md does not name `" << name << "`";
  }
}

}  // namespace
