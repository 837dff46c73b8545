// net::outbound_queue: byte accounting (the backpressure bound is judged on it) and gather-write batches.
#include "net/outbound_queue.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::net {
namespace {

outbound_queue::entry make_entry(std::string payload, std::string_view header = {}) {
  auto owned = std::make_shared<const std::string>(std::move(payload));
  outbound_queue::entry item;
  item.owner = owned;
  item.payload = *owned;
  if (!header.empty()) std::memcpy(item.header.data(), header.data(), header.size());
  item.header_bytes = static_cast<std::uint8_t>(header.size());
  return item;
}

TEST(OutboundQueue, StartsEmpty) {
  outbound_queue queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
  EXPECT_EQ(queue.size(), 0u);
  std::vector<std::string_view> buffers{"stale"};
  EXPECT_EQ(queue.front_buffers(buffers), 0u);
  EXPECT_TRUE(buffers.empty());
}

TEST(OutboundQueue, PushCountsHeaderAndPayloadBytes) {
  outbound_queue queue;
  queue.push(make_entry("hello", "\x82\x05"));
  EXPECT_EQ(queue.bytes(), 7u);
  queue.push(make_entry(std::string(1000, 'x'), std::string_view("\x82\x7e\x03\xe8", 4)));
  EXPECT_EQ(queue.bytes(), 7u + 1004u);
  queue.push(make_entry("raw"));  // a pre-framed control frame: no header of its own
  EXPECT_EQ(queue.bytes(), 7u + 1004u + 3u);
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_FALSE(queue.empty());
}

TEST(OutboundQueue, PopFrontGivesBackExactlyWhatWasCounted) {
  outbound_queue queue;
  queue.push(make_entry("aaaa", "\x04"));
  queue.push(make_entry("bb", "\x02"));
  queue.push(make_entry("c", "\x01"));
  queue.pop_front(1);
  EXPECT_EQ(queue.bytes(), 3u + 2u);
  EXPECT_EQ(queue.size(), 2u);
  queue.pop_front(2);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, PopMoreThanQueuedIsSafe) {
  outbound_queue queue;
  queue.push(make_entry("one", "\x03"));
  queue.pop_front(10);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
  queue.pop_front(1);
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, TruncateKeepsTheFrontEntriesAndTheirBytes) {
  outbound_queue queue;
  for (int i = 0; i < 10; ++i) queue.push(make_entry(std::string(10, 'x'), "\x0a"));
  ASSERT_EQ(queue.bytes(), 110u);
  queue.truncate(3);  // three are being written; the backlog goes
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue.bytes(), 33u);
  queue.truncate(5);  // keeping more than there is changes nothing
  EXPECT_EQ(queue.size(), 3u);
  queue.truncate(0);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, FrontBuffersInterleaveHeadersAndPayloads) {
  outbound_queue queue;
  queue.push(make_entry("hello", "\x82\x05"));
  queue.push(make_entry("raw"));
  queue.push(make_entry("", std::string_view("\x80\x00", 2)));  // an empty message: a header and nothing else
  std::vector<std::string_view> buffers;
  EXPECT_EQ(queue.front_buffers(buffers), 3u);
  ASSERT_EQ(buffers.size(), 4u);
  EXPECT_EQ(buffers[0], std::string_view("\x82\x05", 2));
  EXPECT_EQ(buffers[1], "hello");
  EXPECT_EQ(buffers[2], "raw");
  EXPECT_EQ(buffers[3], std::string_view("\x80\x00", 2));
  std::size_t total = 0;
  for (auto b : buffers) total += b.size();
  EXPECT_EQ(total, queue.bytes());
}

TEST(OutboundQueue, FrontBuffersStopAtTheBatchLimit) {
  outbound_queue queue;
  const std::size_t count = outbound_queue::kMaxBatch * 2 + 5;
  for (std::size_t i = 0; i < count; ++i) queue.push(make_entry("m" + std::to_string(i), "\x01"));
  std::vector<std::string_view> buffers;
  ASSERT_EQ(queue.front_buffers(buffers), outbound_queue::kMaxBatch);
  EXPECT_EQ(buffers.size(), 2 * outbound_queue::kMaxBatch);
  EXPECT_EQ(buffers[1], "m0");
  EXPECT_EQ(buffers.back(), "m" + std::to_string(outbound_queue::kMaxBatch - 1));

  // Write the batch, take the next.
  queue.pop_front(outbound_queue::kMaxBatch);
  ASSERT_EQ(queue.front_buffers(buffers), outbound_queue::kMaxBatch);
  EXPECT_EQ(buffers[1], "m" + std::to_string(outbound_queue::kMaxBatch));
  queue.pop_front(outbound_queue::kMaxBatch);
  EXPECT_EQ(queue.front_buffers(buffers), 5u);
  queue.pop_front(5);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, EntriesKeepTheirSharedPayloadAlive) {
  outbound_queue queue;
  auto shared = std::make_shared<const std::string>(std::string(100, 's'));
  std::weak_ptr<const std::string> watch = shared;
  outbound_queue::entry item;
  item.owner = shared;
  item.payload = *shared;
  queue.push(item);
  queue.push(std::move(item));  // the same fan-out message queued twice
  shared.reset();
  ASSERT_FALSE(watch.expired());
  std::vector<std::string_view> buffers;
  queue.front_buffers(buffers);
  EXPECT_EQ(buffers[0], std::string(100, 's'));
  queue.pop_front(1);
  EXPECT_FALSE(watch.expired());
  queue.pop_front(1);
  EXPECT_TRUE(watch.expired()) << "the queue must not hold a message it no longer sends";
}

TEST(OutboundQueue, MaxHeaderFitsTheLargestWebSocketHeader) {
  // 2 bytes + 8-byte length + 4-byte mask: the largest header any framing here produces.
  EXPECT_GE(outbound_queue::kMaxHeaderBytes, 14u);
}

}  // namespace
}  // namespace guildhall::net
