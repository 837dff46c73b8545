// services::input_queue: order, duplicates, per-tick cap, backlog bound, oversize.
#include "services/rooms/input_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace guildhall::services {
namespace {

input_queue::outcome push(input_queue& queue, std::uint32_t sequence, std::string data = "x") {
  return queue.push(sequence, sequence, sequence, data);
}

std::vector<std::uint32_t> sequences(std::span<const queued_input> taken) {
  std::vector<std::uint32_t> out;
  for (const auto& input : taken) out.push_back(input.sequence);
  return out;
}

TEST(RoomInputQueue, AppliesInSequenceOrderWhateverTheArrivalOrder) {
  input_queue queue(8, 16);
  for (std::uint32_t s : {3u, 1u, 2u, 5u, 4u}) EXPECT_EQ(push(queue, s), input_queue::outcome::queued);
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(queue.last_applied(), 5u);
}

TEST(RoomInputQueue, DropsAndCountsDuplicatesAndOldSequences) {
  input_queue queue(4, 16);
  // Clients resend their last inputs in every message: 1; 1,2; 1,2,3.
  for (std::uint32_t last = 1; last <= 3; ++last) {
    for (std::uint32_t s = 1; s <= last; ++s) push(queue, s);
  }
  EXPECT_EQ(queue.dropped(input_drop::duplicate), 3u);
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(push(queue, 2), input_queue::outcome::duplicate);  // applied already
  EXPECT_EQ(push(queue, 0), input_queue::outcome::stale);
  EXPECT_EQ(queue.dropped(input_drop::stale), 1u);
  EXPECT_EQ(push(queue, 7), input_queue::outcome::queued);     // a gap: 4..6 were lost, 7 still counts
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{7}));
}

TEST(RoomInputQueue, AppliesAtMostPerTickAndKeepsTheRest) {
  input_queue queue(2, 16);
  for (std::uint32_t s = 1; s <= 5; ++s) push(queue, s);
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{3, 4}));
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{5}));
  EXPECT_TRUE(queue.take().empty());
}

TEST(RoomInputQueue, RefusesOversizeData) {
  input_queue queue(2, 4);
  std::string big(5, 'x');
  EXPECT_EQ(queue.push(1, 0, 0, big), input_queue::outcome::oversize);
  EXPECT_EQ(big.size(), 5u);  // not moved from
  EXPECT_EQ(queue.dropped(input_drop::oversize), 1u);
  EXPECT_EQ(queue.waiting(), 0u);
}

TEST(RoomInputQueue, BacklogIsBoundedAndAFloodLosesOnlyItsOwnInputs) {
  input_queue queue(2, 16);
  const std::size_t capacity = 2 * input_queue::kBacklogTicks;
  for (std::uint32_t s = 1; s <= 1000; ++s) push(queue, s);
  EXPECT_EQ(queue.waiting(), capacity);
  EXPECT_EQ(queue.dropped(input_drop::backlog_full), 1000 - capacity);
  EXPECT_EQ(sequences(queue.take()), (std::vector<std::uint32_t>{1, 2}));
}

TEST(RoomInputQueue, KeepsTheInputData) {
  input_queue queue(2, 16);
  std::string data = "keys";
  queue.push(1, 10, 9, data);
  const auto taken = queue.take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].data, "keys");
  EXPECT_EQ(taken[0].client_tick, 10u);
  EXPECT_EQ(taken[0].view_tick, 9u);
}

}  // namespace
}  // namespace guildhall::services
