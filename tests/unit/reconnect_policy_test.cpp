// client/reconnect_policy: which closes are retried, and how long each retry waits.
#include "client/reconnect_policy.hpp"

#include <gtest/gtest.h>

namespace guildhall::client {
namespace {

TEST(ReconnectPolicy, ServerSideClosesAndLostTransportsAreRetried) {
  EXPECT_TRUE(worth_reconnecting(std::nullopt)) << "a reset, an EOF, a connection found dead";
  EXPECT_TRUE(worth_reconnecting(3001)) << "server shutting down: come back later";
  EXPECT_TRUE(worth_reconnecting(3999));
  EXPECT_TRUE(worth_reconnecting(4001)) << "idle timeout: transient";
  EXPECT_TRUE(worth_reconnecting(4006)) << "slow reader: transient";
  EXPECT_TRUE(worth_reconnecting(1001)) << "going away";
}

TEST(ReconnectPolicy, ClosesThatBlameTheClientOrEndTheSessionAreNot) {
  EXPECT_FALSE(worth_reconnecting(1000)) << "a normal close";
  EXPECT_FALSE(worth_reconnecting(2001)) << "the application sent us away";
  EXPECT_FALSE(worth_reconnecting(4002)) << "protocol violation: fix the client";
  EXPECT_FALSE(worth_reconnecting(4003)) << "authentication failed";
  EXPECT_FALSE(worth_reconnecting(4004)) << "frame too large";
  EXPECT_FALSE(worth_reconnecting(4005)) << "flooding";
}

TEST(ReconnectPolicy, DelaysDoubleUpToTheCapWithJitterAroundThem) {
  const reconnect_options options{.first_delay_ms = 2000, .max_delay_ms = 30000, .jitter = 0.2, .max_attempts = 10};
  EXPECT_EQ(retry_delay(options, 1, 0.5).count(), 2000);
  EXPECT_EQ(retry_delay(options, 2, 0.5).count(), 4000);
  EXPECT_EQ(retry_delay(options, 4, 0.5).count(), 16000);
  EXPECT_EQ(retry_delay(options, 5, 0.5).count(), 30000) << "capped";
  EXPECT_EQ(retry_delay(options, 60, 0.5).count(), 30000) << "no overflow on long outages";
  EXPECT_EQ(retry_delay(options, 1, 0.0).count(), 1600) << "20 % below";
  EXPECT_EQ(retry_delay(options, 1, 0.999999).count(), 2400) << "20 % above";
  const reconnect_options steady{.first_delay_ms = 500, .max_delay_ms = 500, .jitter = 0, .max_attempts = 3};
  EXPECT_EQ(retry_delay(steady, 3, 0.9).count(), 500);
}

}  // namespace
}  // namespace guildhall::client
