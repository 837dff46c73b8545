// services::address_rate_limiter with injected time: a bucket per address, bounded in the addresses it tracks;
// and work_queue's capacity, which the database and the password hasher admit requests by.
#include "services/address_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "base/work_queue.hpp"

namespace guildhall::services {
namespace {

constexpr std::int64_t kStart = 1'000'000;

TEST(AddressRateLimiter, EachAddressHasItsOwnBudget) {
  address_rate_limiter limiter(60, 3);  // one a second, three at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("10.0.0.1", kStart)) << i;
  EXPECT_FALSE(limiter.allow("10.0.0.1", kStart));
  EXPECT_EQ(limiter.retry_after_ms("10.0.0.1", kStart), 1'000u);
  EXPECT_TRUE(limiter.allow("10.0.0.2", kStart));  // another address is unaffected
  EXPECT_FALSE(limiter.allow("10.0.0.1", kStart + 999));
  EXPECT_TRUE(limiter.allow("10.0.0.1", kStart + 1'000));
}

TEST(AddressRateLimiter, ZeroDisablesTheLimit) {
  address_rate_limiter limiter(0, 0);
  for (int i = 0; i < 1'000; ++i) ASSERT_TRUE(limiter.allow("10.0.0.1", kStart));
}

TEST(AddressRateLimiter, TracksABoundedNumberOfAddresses) {
  address_rate_limiter limiter(60, 1);
  for (std::size_t i = 0; i < address_rate_limiter::kMaxAddresses; ++i) {
    ASSERT_TRUE(limiter.allow("a" + std::to_string(i), kStart));
  }
  // Every tracked address is still busy: a new one is refused rather than tracked.
  EXPECT_FALSE(limiter.allow("newcomer", kStart));
  // Once the others have refilled (gone quiet), they are forgotten and the newcomer gets a bucket.
  EXPECT_TRUE(limiter.allow("newcomer", kStart + 1'000));
}

TEST(WorkQueue, IsFullAtItsCapacityAndEmptiesAsTheWorkerRuns) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  work_queue<std::function<void()>> queue([](auto& batch) { for (auto& task : batch) task(); }, 2);
  queue.push([&] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();  // the worker holds the first task: the queue itself is empty
  EXPECT_FALSE(queue.full());
  queue.push([] {});
  EXPECT_FALSE(queue.full());
  queue.push([] {});
  EXPECT_TRUE(queue.full());
  EXPECT_EQ(queue.waiting(), 2u);
  release.set_value();
  queue.stop();
  EXPECT_EQ(queue.waiting(), 0u);
  EXPECT_FALSE(queue.full());
}

}  // namespace
}  // namespace guildhall::services
