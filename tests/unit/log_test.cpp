// Text a client chose, made safe for a log line.
#include "base/log.hpp"

#include <gtest/gtest.h>

namespace guildhall {
namespace {

TEST(Log, PrintableEscapesWhatCouldForgeALine) {
  EXPECT_EQ(printable("ada"), "ada");
  EXPECT_EQ(printable("ada\nERROR fake line"), "ada\\x0aERROR fake line");
  EXPECT_EQ(printable("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
  EXPECT_EQ(printable("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(printable(std::string(100, 'x'), 8), "xxxxxxxx...");
}

}  // namespace
}  // namespace guildhall
