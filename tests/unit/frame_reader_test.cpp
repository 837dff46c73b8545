// wire::frame_reader: varint length-prefixed TCP framing, fed the way a socket delivers bytes.
#include "wire/frame_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guildhall::wire {
namespace {

// Everything next() yields until it needs more bytes; fails the test on an error.
std::vector<std::string> drain(frame_reader& reader) {
  std::vector<std::string> frames;
  while (true) {
    auto frame = reader.next();
    EXPECT_TRUE(frame.has_value()) << frame.error().message;
    if (!frame || !*frame) return frames;
    frames.push_back(std::move(**frame));
  }
}

TEST(FrameReader, WholeFrameInOneFeed) {
  frame_reader reader(1024);
  reader.feed(frame_for_stream("hello"));
  EXPECT_EQ(drain(reader), std::vector<std::string>{"hello"});
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(FrameReader, EmptyReaderNeedsMoreBytes) {
  frame_reader reader(1024);
  auto frame = reader.next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_FALSE(frame->has_value());
}

TEST(FrameReader, EmptyPayloadIsAFrame) {
  frame_reader reader(1024);
  reader.feed(frame_for_stream(""));
  EXPECT_EQ(drain(reader), std::vector<std::string>{""});
}

TEST(FrameReader, FrameFedOneByteAtATime) {
  frame_reader reader(4096);
  const std::string payload(300, 'x');  // 300 needs a two-byte varint, so the prefix itself is split too
  const std::string framed = frame_for_stream(payload);
  ASSERT_EQ(framed.size(), 302u);
  for (std::size_t i = 0; i + 1 < framed.size(); ++i) {
    reader.feed(framed.substr(i, 1));
    auto frame = reader.next();
    ASSERT_TRUE(frame.has_value());
    ASSERT_FALSE(frame->has_value()) << "frame came out after only " << i + 1 << " bytes";
  }
  reader.feed(framed.substr(framed.size() - 1));
  EXPECT_EQ(drain(reader), std::vector<std::string>{payload});
}

TEST(FrameReader, SeveralFramesInOneFeedAndOneSplitAcrossFeeds) {
  frame_reader reader(1024);
  const std::string stream = frame_for_stream("one") + frame_for_stream("two") + frame_for_stream("three");
  const std::size_t cut = stream.size() - 3;  // in the middle of "three"
  reader.feed(stream.substr(0, cut));
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(reader.buffered_bytes(), frame_for_stream("three").size() - 3);
  reader.feed(stream.substr(cut));
  EXPECT_EQ(drain(reader), std::vector<std::string>{"three"});
  EXPECT_EQ(reader.buffered_bytes(), 0u);
}

TEST(FrameReader, FrameAtExactlyTheLimitIsAccepted) {
  frame_reader reader(100);
  reader.feed(frame_for_stream(std::string(100, 'a')));
  EXPECT_EQ(drain(reader).size(), 1u);
}

TEST(FrameReader, OversizeLengthIsRejectedBeforeTheBodyArrives) {
  frame_reader reader(100);
  std::string prefix;
  append_varint(prefix, 101);
  reader.feed(prefix);  // only the length: not one byte of the body
  auto frame = reader.next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, errc::frame_too_large);
}

TEST(FrameReader, HugeLengthIsRejectedNotAllocated) {
  frame_reader reader(64 * 1024);
  std::string prefix;
  append_varint(prefix, ~std::uint64_t{0});
  reader.feed(prefix);
  auto frame = reader.next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, errc::frame_too_large);
}

TEST(FrameReader, VarintLongerThanTenBytesIsBadFrame) {
  frame_reader reader(1024);
  reader.feed(std::string(11, '\x80'));
  auto frame = reader.next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, errc::bad_frame);
}

TEST(FrameReader, TenContinuationBytesAreAlreadyBadFrame) {
  // Ten bytes that all say "more follows" cannot start a valid varint, whatever comes next.
  frame_reader reader(1024);
  reader.feed(std::string(10, '\x80'));
  auto frame = reader.next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, errc::bad_frame);
}

TEST(FrameReader, NineContinuationBytesStillWaitForMore) {
  frame_reader reader(1024);
  reader.feed(std::string(9, '\x80'));
  auto frame = reader.next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_FALSE(frame->has_value());
}

TEST(FrameReader, NonMinimalVarintLengthIsAccepted) {
  // protobuf readers accept padded varints; so do we, as long as the value is within the limit.
  frame_reader reader(1024);
  reader.feed(std::string("\x83\x80\x80\x00", 4) + "abc");
  EXPECT_EQ(drain(reader), std::vector<std::string>{"abc"});
}

TEST(FrameReader, RaisingTheLimitLetsALargerFrameThrough) {
  frame_reader reader(16);
  const std::string big(1000, 'b');
  reader.feed(frame_for_stream("small"));
  EXPECT_EQ(drain(reader), std::vector<std::string>{"small"});
  reader.set_max_frame_bytes(4096);  // as after authentication
  reader.feed(frame_for_stream(big));
  EXPECT_EQ(drain(reader), std::vector<std::string>{big});
}

TEST(FrameReader, BufferedFrameIsJudgedByTheNewLimit) {
  frame_reader reader(16);
  reader.feed(frame_for_stream(std::string(100, 'c')));
  reader.set_max_frame_bytes(128);
  EXPECT_EQ(drain(reader).size(), 1u);
}

TEST(FrameReader, ManyFramesKeepTheBufferCompact) {
  frame_reader reader(1024);
  const std::string framed = frame_for_stream(std::string(50, 'z'));
  for (int i = 0; i < 1000; ++i) {
    reader.feed(framed);
    reader.feed(framed.substr(0, 10));  // always leave a partial frame behind
    auto frames = drain(reader);
    ASSERT_EQ(frames.size(), i == 0 ? 1u : 2u);
    reader.feed(framed.substr(10));
    ASSERT_LT(reader.buffered_bytes(), 3 * framed.size());
  }
}

TEST(AppendVarint, MatchesProtobufEncoding) {
  struct sample {
    std::uint64_t value;
    std::string bytes;
  };
  const sample samples[] = {
      {0, std::string("\x00", 1)},
      {1, "\x01"},
      {127, "\x7f"},
      {128, "\x80\x01"},
      {300, "\xac\x02"},
      {16383, "\xff\x7f"},
      {16384, "\x80\x80\x01"},
      {~std::uint64_t{0}, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"},
  };
  for (const auto& s : samples) {
    std::string out = "prefix";
    append_varint(out, s.value);
    EXPECT_EQ(out, "prefix" + s.bytes) << s.value;
  }
}

TEST(FrameForStream, RoundTripsThroughTheReaderAtVarintBoundaries) {
  frame_reader reader(1 << 20);
  for (std::size_t size : {0u, 1u, 127u, 128u, 16383u, 16384u, 70000u}) {
    const std::string payload(size, static_cast<char>('a' + size % 26));
    reader.feed(frame_for_stream(payload));
    auto frames = drain(reader);
    ASSERT_EQ(frames.size(), 1u) << size;
    EXPECT_EQ(frames[0], payload);
  }
}

}  // namespace
}  // namespace guildhall::wire
