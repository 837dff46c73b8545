// net::shared_token_claims: the record of which address first used each connect token, shared by every shard.
#include "net/udp/shared_token_claims.hpp"

#include <gtest/gtest.h>

namespace guildhall::net {
namespace {

shared_token_claims::token_mac mac_of(std::uint8_t seed) {
  shared_token_claims::token_mac mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = static_cast<std::uint8_t>(seed * 31 + i);
  return mac;
}

const auto kAlice = *wire::udp::parse_peer_address("198.51.100.7:5000");
const auto kThief = *wire::udp::parse_peer_address("203.0.113.9:6000");

TEST(UdpSharedTokenClaims, TheFirstAddressKeepsTheTokenAndAnotherIsRefused) {
  shared_token_claims claims(16);
  EXPECT_TRUE(claims.claim(mac_of(1), kAlice, 10'000, 1'000));
  EXPECT_TRUE(claims.claim(mac_of(1), kAlice, 10'000, 1'100));  // its own resent request
  EXPECT_FALSE(claims.claim(mac_of(1), kThief, 10'000, 1'200));
  EXPECT_TRUE(claims.claim(mac_of(2), kThief, 10'000, 1'300));  // another token is another matter
}

TEST(UdpSharedTokenClaims, AnExpiredTokenIsForgottenAndTheTableStaysWithinItsCapacity) {
  shared_token_claims claims(2);
  EXPECT_TRUE(claims.claim(mac_of(1), kAlice, 2'000, 1'000));
  // Expired at 2 000: forgotten when the next claim comes, so the address no longer matters (and the connection
  // layer refuses the expired token itself anyway).
  EXPECT_TRUE(claims.claim(mac_of(2), kAlice, 9'000, 3'000));
  EXPECT_TRUE(claims.claim(mac_of(1), kThief, 9'000, 3'000));
  // Full (two live tokens): the oldest goes to make room.
  EXPECT_TRUE(claims.claim(mac_of(3), kAlice, 9'000, 3'000));
  EXPECT_TRUE(claims.claim(mac_of(2), kThief, 9'000, 3'000)) << "the oldest claim was kept past the capacity";
}

}  // namespace
}  // namespace guildhall::net
