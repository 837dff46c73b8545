// Replay protection of the UDP connection layer (src/wire/udp/replay_window): netcode's rules at their edges.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "wire/udp/replay_window.hpp"

namespace {

using guildhall::wire::udp::kReplayWindow;
using guildhall::wire::udp::replay_window;

// What a receiver does: refuse if already received, else (after decryption) advance.
bool accept(replay_window& window, std::uint64_t sequence) {
  if (window.already_received(sequence)) return false;
  window.advance(sequence);
  return true;
}

TEST(UdpReplayWindow, SequenceZeroIsAcceptedFirstAndOnlyOnce) {
  replay_window window;
  EXPECT_TRUE(accept(window, 0));
  EXPECT_FALSE(accept(window, 0));
  EXPECT_TRUE(accept(window, 1));
  EXPECT_FALSE(accept(window, 1));
}

TEST(UdpReplayWindow, OutOfOrderWithinTheWindowIsAcceptedOnce) {
  replay_window window;
  EXPECT_TRUE(accept(window, 10));
  EXPECT_TRUE(accept(window, 5));
  EXPECT_TRUE(accept(window, 7));
  EXPECT_FALSE(accept(window, 5));
  EXPECT_FALSE(accept(window, 10));
  EXPECT_TRUE(accept(window, 6));
  EXPECT_EQ(window.most_recent(), 10u);
}

TEST(UdpReplayWindow, TheOldestSequenceStillInsideTheWindowIsJudgedByItsSlot) {
  replay_window window;
  const std::uint64_t top = 1000;
  EXPECT_TRUE(accept(window, top));
  // most_recent - kReplayWindow is out; one newer is in.
  EXPECT_FALSE(accept(window, top - kReplayWindow));
  EXPECT_TRUE(accept(window, top - kReplayWindow + 1));
  EXPECT_FALSE(accept(window, top - kReplayWindow + 1));
  EXPECT_TRUE(accept(window, top - 1));
}

TEST(UdpReplayWindow, OldSequencesAreRefusedAfterTheWindowWrapsTheirSlot) {
  replay_window window;
  EXPECT_TRUE(accept(window, 0));
  EXPECT_TRUE(accept(window, kReplayWindow));  // same slot as 0
  EXPECT_FALSE(accept(window, 0)) << "too old: most_recent - window";
  EXPECT_TRUE(accept(window, 1));
  EXPECT_TRUE(accept(window, kReplayWindow + 1));  // overwrites 1's slot
  EXPECT_FALSE(accept(window, 1));
}

TEST(UdpReplayWindow, ASlotHoldingAnOlderSequenceIsReused) {
  replay_window window;
  EXPECT_TRUE(accept(window, 10));
  EXPECT_TRUE(accept(window, 300));
  EXPECT_TRUE(accept(window, 10 + kReplayWindow)) << "inside the window; its slot held 10, an older sequence";
  EXPECT_FALSE(accept(window, 10 + kReplayWindow));
  EXPECT_FALSE(accept(window, 10));
}

TEST(UdpReplayWindow, EveryOneOfAStreamIsAcceptedOnceInAnyOrderWithinTheWindow) {
  replay_window window;
  for (std::uint64_t base = 0; base < 4096; base += 64) {
    for (std::uint64_t i = 0; i < 64; ++i) EXPECT_TRUE(accept(window, base + (63 - i)));  // each block reversed
    for (std::uint64_t i = 0; i < 64; ++i) EXPECT_FALSE(accept(window, base + i));
  }
}

TEST(UdpReplayWindow, HugeSequencesDoNotOverflowTheAgeCheck) {
  replay_window window;
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_TRUE(accept(window, max - 1));
  EXPECT_FALSE(accept(window, max - 1));
  EXPECT_FALSE(accept(window, 5)) << "far older than the window";
  EXPECT_FALSE(window.already_received(max - 2));
  EXPECT_TRUE(window.already_received(max)) << "the empty-slot marker is never accepted";
  window.reset();
  EXPECT_TRUE(accept(window, 5));
}

}  // namespace
