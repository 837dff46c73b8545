// Connect tokens, challenge tokens, identities and peer addresses of the UDP connection layer
// (src/wire/udp/connect_token, challenge_token, peer_address): round trips and every refusal.
#include <gtest/gtest.h>

#include <unordered_set>

#include "udp_test_wire.hpp"
#include "wire/udp/challenge_token.hpp"
#include "wire/udp/connect_token.hpp"
#include "wire/udp/peer_address.hpp"

namespace {

using namespace guildhall::wire::udp;
using guildhall::wire::udp::testing::fixed_key;
using guildhall::wire::udp::testing::kProtocolId;

constexpr std::uint64_t kNow = 1'800'000'000;

connect_token_private sample_claims() {
  connect_token_private claims;
  claims.client_id = 77;
  claims.timeout_seconds = 15;
  claims.server_addresses = {*parse_peer_address("127.0.0.1:9702"), *parse_peer_address("[2001:db8::7]:9702")};
  claims.user_data = *pack_identity({77, "Zoë", 123456789});
  return claims;
}

TEST(UdpConnectToken, IssuedTokenOpensToItsClaimsWithTheClientsKeys) {
  const auto key = fixed_key(1);
  auto issued = issue_connect_token(sample_claims(), kProtocolId, kNow, 45, key);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->create_timestamp, kNow);
  EXPECT_EQ(issued->expire_timestamp, kNow + 45);
  EXPECT_EQ(issued->timeout_seconds, 15u);
  EXPECT_EQ(issued->server_addresses, sample_claims().server_addresses);
  EXPECT_NE(issued->client_to_server_key, issued->server_to_client_key);
  auto opened = open_connect_token(issued->sealed_private, issued->nonce, kProtocolId, issued->expire_timestamp, key);
  ASSERT_TRUE(opened) << to_string(opened.error());
  auto expected = sample_claims();
  expected.client_to_server_key = issued->client_to_server_key;
  expected.server_to_client_key = issued->server_to_client_key;
  EXPECT_EQ(*opened, expected);
  EXPECT_EQ(*unpack_identity(opened->user_data), (token_identity{77, "Zoë", 123456789}));

  auto again = issue_connect_token(sample_claims(), kProtocolId, kNow, 45, key);
  EXPECT_NE(again->nonce, issued->nonce) << "a fresh nonce and fresh keys per token";
  EXPECT_NE(again->client_to_server_key, issued->client_to_server_key);
}

TEST(UdpConnectToken, EveryTamperedByteAndEveryWrongInputFailsToOpen) {
  const auto key = fixed_key(1);
  auto issued = *issue_connect_token(sample_claims(), kProtocolId, kNow, 45, key);
  auto open = [&](const sealed_private_token& sealed, const token_nonce& nonce, std::uint64_t protocol,
                  std::uint64_t expire, const guildhall::wire::udp::key& k) {
    return open_connect_token(sealed, nonce, protocol, expire, k);
  };
  for (std::size_t i = 0; i < kConnectTokenPrivateBytes; ++i) {
    auto sealed = issued.sealed_private;
    sealed[i] ^= 0x01;
    auto opened = open(sealed, issued.nonce, kProtocolId, issued.expire_timestamp, key);
    ASSERT_FALSE(opened) << "byte " << i;
    ASSERT_EQ(opened.error(), packet_error::token_decrypt_failed);
  }
  auto nonce = issued.nonce;
  nonce[3] ^= 0x80;
  EXPECT_EQ(open(issued.sealed_private, nonce, kProtocolId, issued.expire_timestamp, key).error(),
            packet_error::token_decrypt_failed);
  EXPECT_EQ(open(issued.sealed_private, issued.nonce, kProtocolId + 1, issued.expire_timestamp, key).error(),
            packet_error::token_decrypt_failed)
      << "wrong protocol id";
  EXPECT_EQ(open(issued.sealed_private, issued.nonce, kProtocolId, issued.expire_timestamp + 3600, key).error(),
            packet_error::token_decrypt_failed)
      << "an expiry pushed back";
  EXPECT_EQ(open(issued.sealed_private, issued.nonce, kProtocolId, issued.expire_timestamp, fixed_key(2)).error(),
            packet_error::token_decrypt_failed)
      << "wrong key";
}

TEST(UdpConnectToken, ClaimsOutOfRangeAreRefusedAtIssue) {
  const auto key = fixed_key(1);
  auto with = [](auto change) {
    auto claims = sample_claims();
    change(claims);
    return claims;
  };
  EXPECT_FALSE(issue_connect_token(with([](auto& c) { c.server_addresses.clear(); }), kProtocolId, kNow, 45, key));
  EXPECT_FALSE(issue_connect_token(with([](auto& c) { c.server_addresses.resize(9, c.server_addresses[0]); }),
                                   kProtocolId, kNow, 45, key));
  EXPECT_FALSE(issue_connect_token(with([](auto& c) { c.server_addresses.push_back({}); }), kProtocolId, kNow, 45,
                                   key));
  EXPECT_FALSE(issue_connect_token(with([](auto& c) { c.timeout_seconds = 0; }), kProtocolId, kNow, 45, key));
  EXPECT_FALSE(issue_connect_token(with([](auto& c) { c.timeout_seconds = kMaxTimeoutSeconds + 1; }), kProtocolId,
                                   kNow, 45, key));
  EXPECT_FALSE(issue_connect_token(sample_claims(), kProtocolId, kNow, 0, key));
  EXPECT_TRUE(issue_connect_token(with([](auto& c) { c.server_addresses.resize(8, c.server_addresses[0]); }),
                                  kProtocolId, kNow, 45, key));
}

TEST(UdpConnectToken, PlaintextOutOfRangeIsMalformed) {
  std::array<std::uint8_t, kConnectTokenPlainBytes> plain{};
  ASSERT_TRUE(write_connect_token_private(sample_claims(), plain));
  auto read = read_connect_token_private(plain);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, sample_claims());

  auto edited = plain;
  edited[12] = 9;  // address count
  EXPECT_EQ(read_connect_token_private(edited).error(), packet_error::token_malformed);
  edited = plain;
  edited[12] = 0;
  EXPECT_EQ(read_connect_token_private(edited).error(), packet_error::token_malformed);
  edited = plain;
  edited[16] = 3;  // first address type
  EXPECT_EQ(read_connect_token_private(edited).error(), packet_error::token_malformed);
  edited = plain;
  edited[8] = 0;  // timeout 0 (15 was one byte)
  EXPECT_EQ(read_connect_token_private(edited).error(), packet_error::token_malformed);
  // A sealed token with malformed claims authenticates, then is refused as malformed.
  auto claims = sample_claims();
  claims.timeout_seconds = 0;
  EXPECT_EQ(seal_connect_token(claims, kProtocolId, kNow, token_nonce{}, fixed_key(1)).error(),
            packet_error::token_malformed);
}

TEST(UdpTokenIdentity, RoundTripsAndRefusesWhatPackCannotMake) {
  const token_identity longest{1, std::string(kMaxUsernameBytes, 'x'), 2};
  auto packed = pack_identity(longest);
  ASSERT_TRUE(packed);
  EXPECT_EQ(*unpack_identity(*packed), longest);
  EXPECT_EQ(*unpack_identity(*pack_identity({0, "", 0})), (token_identity{0, "", 0}));

  EXPECT_FALSE(pack_identity({1, std::string(kMaxUsernameBytes + 1, 'x'), 2}));
  EXPECT_FALSE(pack_identity({1, "\xc3\x28", 2}));

  auto data = *packed;
  data[16] = kMaxUsernameBytes + 1;  // length byte
  EXPECT_EQ(unpack_identity(data).error(), packet_error::bad_user_data);
  data = *pack_identity({1, "ab", 2});
  data[17] = 0xc3;  // "\xc3b": invalid UTF-8
  EXPECT_EQ(unpack_identity(data).error(), packet_error::bad_user_data);
  data = *pack_identity({1, "ab", 2});
  data[kUserDataBytes - 1] = 1;  // padding
  EXPECT_EQ(unpack_identity(data).error(), packet_error::bad_user_data);
}

TEST(UdpChallengeToken, OpensOnlyWithItsKeyAndSequence) {
  challenge_token token{77, *pack_identity({77, "ann", 5})};
  const auto key = fixed_key(3);
  auto sealed = seal_challenge_token(token, 41, key);
  EXPECT_EQ(*open_challenge_token(sealed, 41, key), token);
  EXPECT_FALSE(open_challenge_token(sealed, 42, key));
  EXPECT_FALSE(open_challenge_token(sealed, 41, fixed_key(4)));
  sealed[100] ^= 1;
  EXPECT_FALSE(open_challenge_token(sealed, 41, key));
  EXPECT_NE(seal_challenge_token(token, 1, key), seal_challenge_token(token, 2, key));
}

TEST(UdpPeerAddress, ParsesPrintsAndHashes) {
  auto v4 = parse_peer_address("1.2.3.4:5");
  ASSERT_TRUE(v4);
  EXPECT_EQ(*v4, peer_address::ipv4({1, 2, 3, 4}, 5));
  EXPECT_EQ(v4->to_string(), "1.2.3.4:5");
  auto v6 = parse_peer_address("[::1]:9702");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, address_family::ipv6);
  EXPECT_EQ(v6->bytes[15], 1);
  EXPECT_EQ(v6->to_string(), "[::1]:9702");
  EXPECT_EQ(parse_peer_address("[2001:db8::7]:65535")->to_string(), "[2001:db8::7]:65535");
  for (const char* bad : {"", "1.2.3.4", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:5x", "300.1.1.1:5",
                          "::1:5", "[::1]5", "[::1]:", "[1.2.3.4]:5", "localhost:5", "1.2.3.4:-1"}) {
    EXPECT_FALSE(parse_peer_address(bad)) << bad;
  }
  EXPECT_EQ(peer_address{}.to_string(), "none");
  std::unordered_set<peer_address> set{*v4, *v6, *parse_peer_address("1.2.3.4:6")};
  EXPECT_EQ(set.size(), 3u);
  EXPECT_TRUE(set.contains(peer_address::ipv4({1, 2, 3, 4}, 5)));
  EXPECT_FALSE(set.contains(peer_address::ipv4({1, 2, 3, 4}, 7)));
}

}  // namespace
