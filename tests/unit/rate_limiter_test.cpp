// services::token_bucket with injected time: no sleeping, exact arithmetic.
#include "services/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace guildhall::services {
namespace {

constexpr std::int64_t kStart = 1'000'000;

int take_all(token_bucket& bucket, std::int64_t now_ms) {
  int taken = 0;
  while (bucket.try_take(now_ms)) {
    if (++taken > 1'000'000) break;  // a bucket that never empties is a failure, not a hang
  }
  return taken;
}

TEST(TokenBucket, StartsFullAndAllowsTheBurstAtOnce) {
  token_bucket bucket(10, 20, kStart);
  EXPECT_EQ(take_all(bucket, kStart), 20);
  EXPECT_FALSE(bucket.try_take(kStart));
}

TEST(TokenBucket, RefillsAtTheRate) {
  token_bucket bucket(10, 20, kStart);  // one token every 100 ms
  ASSERT_EQ(take_all(bucket, kStart), 20);
  EXPECT_FALSE(bucket.try_take(kStart + 99));
  EXPECT_TRUE(bucket.try_take(kStart + 100));
  EXPECT_FALSE(bucket.try_take(kStart + 100));
  EXPECT_EQ(take_all(bucket, kStart + 600), 5);
}

TEST(TokenBucket, PartialTokensAccumulateAcrossCalls) {
  token_bucket bucket(125, 1, kStart);  // 0.125 tokens per ms: exact in binary, so the test is exact too
  ASSERT_TRUE(bucket.try_take(kStart));
  for (std::int64_t t = kStart + 2; t < kStart + 8; t += 2) EXPECT_FALSE(bucket.try_take(t)) << t - kStart;
  EXPECT_TRUE(bucket.try_take(kStart + 8));
}

TEST(TokenBucket, NoRefillPastTheBurst) {
  token_bucket bucket(10, 20, kStart);
  ASSERT_EQ(take_all(bucket, kStart), 20);
  // An hour of silence earns at most `burst` tokens, not 36000.
  EXPECT_EQ(take_all(bucket, kStart + 3'600'000), 20);
}

TEST(TokenBucket, IdleFullBucketDoesNotOverfill) {
  token_bucket bucket(1, 3, kStart);
  EXPECT_EQ(take_all(bucket, kStart + 1'000'000), 3);
}

TEST(TokenBucket, SustainedRateIsHonouredOverALongRun) {
  token_bucket bucket(10, 20, kStart);
  int allowed = 0;
  // A client hammering every millisecond for 10 s gets the burst plus rate * time.
  for (std::int64_t t = kStart; t <= kStart + 10'000; ++t) allowed += bucket.try_take(t) ? 1 : 0;
  EXPECT_NEAR(allowed, 20 + 100, 1);  // floating-point refill may land a hair short on the last token
}

TEST(TokenBucket, ClockSteppingBackNeitherRefillsNorBreaks) {
  token_bucket bucket(10, 2, kStart);
  ASSERT_EQ(take_all(bucket, kStart), 2);
  EXPECT_FALSE(bucket.try_take(kStart - 10'000));
  // Time resumes from the last seen instant, not from the stepped-back one.
  EXPECT_FALSE(bucket.try_take(kStart + 99));
  EXPECT_TRUE(bucket.try_take(kStart + 100));
}

}  // namespace
}  // namespace guildhall::services
