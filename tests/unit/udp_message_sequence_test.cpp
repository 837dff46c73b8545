// Sequence arithmetic and sequence_buffer (src/wire/udp/sequence_buffer.hpp) around the 16-bit wrap.
#include <gtest/gtest.h>

#include <cstdint>

#include "wire/udp/sequence_buffer.hpp"

namespace {

using namespace guildhall::wire::udp;

TEST(UdpSequence, GreaterThanAcrossTheWrap) {
  EXPECT_TRUE(sequence_greater_than(1, 0));
  EXPECT_FALSE(sequence_greater_than(0, 1));
  EXPECT_FALSE(sequence_greater_than(7, 7));
  EXPECT_TRUE(sequence_greater_than(0, 65535));
  EXPECT_TRUE(sequence_greater_than(5, 65530));
  EXPECT_FALSE(sequence_greater_than(65530, 5));
  EXPECT_TRUE(sequence_less_than(65535, 0));
  // Half the space apart: newer by the 32768 rule, one step more and it is older.
  EXPECT_TRUE(sequence_greater_than(32768, 0));
  EXPECT_FALSE(sequence_greater_than(32769, 0));
  EXPECT_EQ(sequence_distance(3, 65533), 6);
}

TEST(UdpSequence, BufferFindsWhatItHoldsAcrossTheWrap) {
  sequence_buffer<int> buffer(32);
  for (std::uint32_t i = 65500; i < 65600; ++i) {
    const auto sequence = static_cast<std::uint16_t>(i);
    int* slot = buffer.insert(sequence);
    ASSERT_NE(slot, nullptr);
    *slot = static_cast<int>(i);
  }
  EXPECT_EQ(buffer.next_sequence(), static_cast<std::uint16_t>(65600));
  for (std::uint32_t i = 65600 - 32; i < 65600; ++i) {
    const int* slot = buffer.find(static_cast<std::uint16_t>(i));
    ASSERT_NE(slot, nullptr) << i;
    EXPECT_EQ(*slot, static_cast<int>(i));
  }
  EXPECT_EQ(buffer.find(static_cast<std::uint16_t>(65600 - 33)), nullptr);
  EXPECT_TRUE(buffer.too_old(static_cast<std::uint16_t>(65600 - 33)));
  EXPECT_FALSE(buffer.too_old(static_cast<std::uint16_t>(65600 - 32)));
  EXPECT_EQ(buffer.insert(static_cast<std::uint16_t>(65600 - 40)), nullptr);
}

TEST(UdpSequence, AJumpAheadEvictsTheSkippedSlots) {
  sequence_buffer<int> buffer(16);
  for (std::uint16_t s = 0; s < 10; ++s) *buffer.insert(s) = s;
  // The window is now 5..20: 20 reuses the slot of 4, which is out; 5..9 stay; 10..19 were never inserted.
  *buffer.insert(20) = 20;
  EXPECT_FALSE(buffer.exists(4));
  EXPECT_TRUE(buffer.exists(5));
  EXPECT_TRUE(buffer.exists(9));
  EXPECT_FALSE(buffer.exists(15));
  EXPECT_FALSE(buffer.exists(16));  // the slot of 0, cleared by the jump
  EXPECT_TRUE(buffer.exists(20));
  // A jump of more than the window clears everything.
  *buffer.insert(1000) = 1000;
  EXPECT_FALSE(buffer.exists(20));
  EXPECT_TRUE(buffer.exists(1000));
}

TEST(UdpSequence, AnOlderInsertWithinTheWindowKeepsTheNewest) {
  sequence_buffer<int> buffer(16);
  *buffer.insert(100) = 100;
  *buffer.insert(95) = 95;  // a late packet
  EXPECT_EQ(buffer.next_sequence(), 101);
  EXPECT_TRUE(buffer.exists(100));
  EXPECT_TRUE(buffer.exists(95));
  EXPECT_FALSE(buffer.exists(96));
  buffer.remove(95);
  EXPECT_FALSE(buffer.exists(95));
}

}  // namespace
