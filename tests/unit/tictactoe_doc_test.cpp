// docs/writing-a-turn-based-game.md shows the tic-tac-toe files in full. A code block that follows a marker
//   <!-- verbatim: src/games/tictactoe/tictactoe.cpp -->
// must equal that file byte for byte, every file of src/games/tictactoe must be shown, and the doc must name every
// function of the API it explains, so the tutorial cannot drift away from the code it teaches.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace {

const std::string kSourceDir = GUILDHALL_SOURCE_DIR;
const std::string kDocPath = "docs/writing-a-turn-based-game.md";

std::string read_file(const std::string& path) {
  std::ifstream in(kSourceDir + "/" + path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Path -> the text of the fenced block after its marker; a malformed marker or block fails the test.
std::map<std::string, std::string> verbatim_blocks(const std::string& doc) {
  const std::string marker = "<!-- verbatim: ";
  std::map<std::string, std::string> blocks;
  for (auto at = doc.find(marker); at != std::string::npos; at = doc.find(marker, at + 1)) {
    const auto path_begin = at + marker.size();
    const auto path_end = doc.find(" -->\n", path_begin);
    if (path_end == std::string::npos) {
      ADD_FAILURE() << "unterminated marker at byte " << at;
      continue;
    }
    const std::string path = doc.substr(path_begin, path_end - path_begin);
    const auto fence = path_end + 5;  // past " -->\n"
    const auto body_begin = doc.find('\n', fence);
    if (doc.compare(fence, 3, "```") != 0 || body_begin == std::string::npos) {
      ADD_FAILURE() << "the marker for " << path << " is not followed by a ``` block";
      continue;
    }
    const auto close = doc.find("\n```\n", body_begin);
    if (close == std::string::npos) {
      ADD_FAILURE() << "the block for " << path << " is not closed";
      continue;
    }
    EXPECT_FALSE(blocks.contains(path)) << path << " is shown twice";
    blocks[path] = doc.substr(body_begin + 1, close + 1 - (body_begin + 1));
  }
  return blocks;
}

TEST(TictactoeDoc, CodeBlocksAreTheRealFiles) {
  const std::string doc = read_file(kDocPath);
  ASSERT_FALSE(doc.empty()) << "cannot read " << kDocPath;
  const auto blocks = verbatim_blocks(doc);
  EXPECT_GE(blocks.size(), 3u);
  for (const auto& [path, block] : blocks) {
    const std::string file = read_file(path);
    ASSERT_FALSE(file.empty()) << kDocPath << " shows " << path << ", which cannot be read";
    EXPECT_EQ(block, file) << kDocPath << " shows a stale copy of " << path << "; paste the file in again";
  }
}

TEST(TictactoeDoc, ShowsEveryFileOfTheGame) {
  const auto blocks = verbatim_blocks(read_file(kDocPath));
  const std::filesystem::path game_dir = kSourceDir + "/src/games/tictactoe";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(game_dir)) {
    const std::string path = "src/games/tictactoe/" + entry.path().filename().string();
    EXPECT_TRUE(blocks.contains(path)) << kDocPath << " does not show " << path;
    ++files;
  }
  EXPECT_GE(files, 3);
}

TEST(TictactoeDoc, NamesEveryFunctionOfTheApi) {
  const std::string api = read_file("include/guildhall/turn_game.hpp");
  const std::string doc = read_file(kDocPath);
  ASSERT_FALSE(api.empty());
  const std::regex method(R"(^\s*virtual\s+[^(~]*?\b(\w+)\()", std::regex::multiline);
  int methods = 0;
  for (std::sregex_iterator it(api.begin(), api.end(), method), end; it != end; ++it) {
    const std::string name = (*it)[1];
    // As code: `name()` or `name(arguments)`.
    const bool named = doc.find("`" + name + "(") != std::string::npos;
    EXPECT_TRUE(named) << kDocPath << " does not explain `" << name << "`";
    ++methods;
  }
  EXPECT_GE(methods, 11);  // name, seats, create, restore and the seven of game_state
}

}  // namespace
