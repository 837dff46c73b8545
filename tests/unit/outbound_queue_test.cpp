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

// The gather list as text, to compare with what was queued.
std::vector<std::string_view> views(const std::vector<iovec>& buffers) {
  std::vector<std::string_view> out;
  for (const auto& b : buffers) out.emplace_back(static_cast<const char*>(b.iov_base), b.iov_len);
  return out;
}

std::vector<std::string_view> front_views(const outbound_queue& queue) {
  std::vector<iovec> buffers;
  queue.front_buffers(buffers);
  return views(buffers);
}

TEST(OutboundQueue, StartsEmpty) {
  outbound_queue queue;
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
  EXPECT_EQ(queue.size(), 0u);
  std::vector<iovec> buffers{iovec{nullptr, 5}};
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

TEST(OutboundQueue, ConsumeGivesBackExactlyWhatWasCounted) {
  outbound_queue queue;
  queue.push(make_entry("aaaa", "\x04"));
  queue.push(make_entry("bb", "\x02"));
  queue.push(make_entry("c", "\x01"));
  queue.consume(5);
  EXPECT_EQ(queue.bytes(), 3u + 2u);
  EXPECT_EQ(queue.size(), 2u);
  queue.consume(5);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, ConsumeMoreThanQueuedIsSafe) {
  outbound_queue queue;
  queue.push(make_entry("one", "\x03"));
  queue.consume(10);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
  queue.consume(1);
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, PartialWritesResumeWhereTheKernelStopped) {
  outbound_queue queue;
  queue.push(make_entry("hello", "\x82\x05"));
  queue.push(make_entry("world", "\x82\x05"));
  queue.consume(1);  // inside the first header
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"\x05", "hello", std::string_view("\x82\x05", 2), "world"}));
  EXPECT_EQ(queue.bytes(), 13u);
  queue.consume(4);  // inside the first payload
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"lo", std::string_view("\x82\x05", 2), "world"}));
  EXPECT_EQ(queue.size(), 2u);
  queue.consume(2);  // the first entry ends exactly: the next starts whole
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{std::string_view("\x82\x05", 2), "world"}));
  queue.consume(6);
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"d"}));
  EXPECT_EQ(queue.bytes(), 1u);
  queue.consume(1);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, DropUnstartedKeepsOnlyAPartlyWrittenFrame) {
  outbound_queue queue;
  for (int i = 0; i < 10; ++i) queue.push(make_entry(std::string(10, 'x'), "\x0a"));
  ASSERT_EQ(queue.bytes(), 110u);
  queue.consume(4);  // the first frame is on its way: cutting it would corrupt the stream
  queue.drop_unstarted();
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.bytes(), 7u);
  queue.consume(7);
  queue.push(make_entry("y", "\x01"));
  queue.drop_unstarted();  // nothing started: everything goes
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, FrontBuffersInterleaveHeadersAndPayloads) {
  outbound_queue queue;
  queue.push(make_entry("hello", "\x82\x05"));
  queue.push(make_entry("raw"));
  queue.push(make_entry("", std::string_view("\x80\x00", 2)));  // an empty message: a header and nothing else
  std::vector<iovec> gathered;
  EXPECT_EQ(queue.front_buffers(gathered), 3u);
  const auto buffers = views(gathered);
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
  std::vector<iovec> gathered;
  ASSERT_EQ(queue.front_buffers(gathered), outbound_queue::kMaxBatch);
  auto buffers = views(gathered);
  EXPECT_EQ(buffers.size(), 2 * outbound_queue::kMaxBatch);
  EXPECT_EQ(buffers[1], "m0");
  EXPECT_EQ(buffers.back(), "m" + std::to_string(outbound_queue::kMaxBatch - 1));

  // Write the batch, take the next.
  auto written = [&] {
    std::size_t total = 0;
    for (const auto& b : gathered) total += b.iov_len;
    return total;
  };
  queue.consume(written());
  ASSERT_EQ(queue.front_buffers(gathered), outbound_queue::kMaxBatch);
  EXPECT_EQ(views(gathered)[1], "m" + std::to_string(outbound_queue::kMaxBatch));
  queue.consume(written());
  EXPECT_EQ(queue.front_buffers(gathered), 5u);
  queue.consume(written());
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
  EXPECT_EQ(front_views(queue)[0], std::string(100, 's'));
  queue.consume(100);
  EXPECT_FALSE(watch.expired());
  queue.consume(100);
  EXPECT_TRUE(watch.expired()) << "the queue must not hold a message it no longer sends";
}

TEST(OutboundQueue, MaxHeaderFitsTheLargestWebSocketHeader) {
  // 2 bytes + 8-byte length + 4-byte mask: the largest header any framing here produces.
  EXPECT_GE(outbound_queue::kMaxHeaderBytes, 14u);
}

}  // namespace
}  // namespace guildhall::net

namespace guildhall::net {
namespace {

TEST(OutboundQueueLatest, ReplacesAnUnsentEntryOfTheSameSlotInPlace) {
  outbound_queue queue;
  queue.push(make_entry("event-1"));
  EXPECT_FALSE(queue.push_latest(make_entry("snap-1"), 7));
  queue.push(make_entry("event-2"));
  EXPECT_TRUE(queue.push_latest(make_entry("snapshot-2"), 7));
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"event-1", "snapshot-2", "event-2"}));
  EXPECT_EQ(queue.bytes(), std::string("event-1snapshot-2event-2").size());
}

TEST(OutboundQueueLatest, SlotsAreIndependent) {
  outbound_queue queue;
  queue.push_latest(make_entry("a1"), 1);
  queue.push_latest(make_entry("b1"), 2);
  queue.push_latest(make_entry("a2"), 1);
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"a2", "b1"}));
}

TEST(OutboundQueueLatest, NeverReplacesAPartlyWrittenEntry) {
  outbound_queue queue;
  queue.push_latest(make_entry("snap-1"), 7);
  queue.consume(2);  // "sn" is on the wire
  EXPECT_FALSE(queue.push_latest(make_entry("snap-2"), 7));
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"ap-1", "snap-2"}));
  EXPECT_TRUE(queue.push_latest(make_entry("snap-3"), 7));  // the unsent one is replaceable
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"ap-1", "snap-3"}));
}

TEST(OutboundQueueLatest, AfterTheEntryWasSentANewOneQueues) {
  outbound_queue queue;
  queue.push_latest(make_entry("snap-1"), 7);
  queue.push(make_entry("event"));
  queue.consume(std::string("snap-1").size());
  EXPECT_FALSE(queue.push_latest(make_entry("snap-2"), 7));
  EXPECT_EQ(front_views(queue), (std::vector<std::string_view>{"event", "snap-2"}));
}

}  // namespace
}  // namespace guildhall::net
