// What `guildhall serve` does before it starts any thread.
#include <gtest/gtest.h>
#include <sodium.h>

#include "server/server.hpp"

namespace {

// ctest runs each test in a process of its own, so libsodium is uninitialized when this starts: sodium_init()
// answers 1 ("already initialized") only if initialize_libraries() initialized it.
TEST(ServerStart, InitializesLibsodiumBeforeAnyThread) {
  ASSERT_TRUE(guildhall::server::initialize_libraries().has_value());
  EXPECT_EQ(sodium_init(), 1);
}

}  // namespace
