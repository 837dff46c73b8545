// The UDP packet codec (src/wire/udp/packet_codec): every packet type round trips at several sequence sizes, and
// every refusal has its typed error, in netcode's reading order.
#include <gtest/gtest.h>
#include <sodium.h>

#include <limits>
#include <vector>

#include "udp_test_wire.hpp"
#include "wire/udp/packet_codec.hpp"

namespace {

using namespace guildhall::wire::udp;
using guildhall::wire::udp::testing::fixed_key;
using guildhall::wire::udp::testing::kProtocolId;
using bytes = std::vector<std::uint8_t>;

constexpr packet_type_set kAll{packet_type::connection_denied, packet_type::connection_challenge,
                               packet_type::connection_response, packet_type::keep_alive,
                               packet_type::payload,          packet_type::disconnect};

bytes encode(packet_type type, std::uint64_t sequence, std::span<const std::uint8_t> body,
             const key& k = fixed_key(5), std::uint64_t protocol = kProtocolId) {
  bytes out(kMaxDatagramBytes);
  auto size = encode_packet(type, sequence, body, protocol, k, out);
  EXPECT_TRUE(size) << (size ? "" : to_string(size.error()));
  out.resize(size ? *size : 0);
  return out;
}

std::expected<opened_packet, packet_error> open(const bytes& datagram, packet_type_set allowed = kAll,
                                                replay_window* replay = nullptr, const key& k = fixed_key(5),
                                                std::uint64_t protocol = kProtocolId) {
  static std::array<std::uint8_t, kMaxDatagramBytes> scratch;
  return open_packet(datagram, allowed, protocol, k, replay, scratch);
}

// Seals an arbitrary body under any prefix, bypassing encode_packet's size rules: what a peer holding the key
// could send.
bytes forge(std::uint8_t prefix, std::uint64_t sequence, std::size_t sequence_bytes, const bytes& body) {
  bytes out{prefix};
  for (std::size_t i = 0; i < sequence_bytes; ++i) out.push_back(static_cast<std::uint8_t>(sequence >> (8 * i)));
  std::array<std::uint8_t, 22> ad{};
  std::copy(kVersionInfo.begin(), kVersionInfo.end(), ad.begin());
  for (int i = 0; i < 8; ++i) ad[13 + i] = static_cast<std::uint8_t>(kProtocolId >> (8 * i));
  ad[21] = prefix;
  std::array<std::uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  const std::size_t start = out.size();
  out.resize(start + body.size() + kMacBytes);
  unsigned long long n = 0;
  const auto k = fixed_key(5);
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + start, &n, body.data(), body.size(), ad.data(), ad.size(),
                                            nullptr, nonce.data(), k.data());
  return out;
}

TEST(UdpPacketCodec, EveryEncryptedTypeRoundTripsAtEverySequenceSize) {
  challenge_body challenge{0x0102030405060708ull, {}};
  for (std::size_t i = 0; i < challenge.token.size(); ++i) challenge.token[i] = static_cast<std::uint8_t>(i);
  const auto challenge_bytes = challenge_body_bytes(challenge);
  const auto keep_alive = keep_alive_body_bytes({3, 64});
  const bytes payload{1, 2, 3, 4, 5};
  struct sample {
    packet_type type;
    std::span<const std::uint8_t> body;
  };
  const sample samples[] = {{packet_type::connection_denied, {}},
                            {packet_type::connection_challenge, challenge_bytes},
                            {packet_type::connection_response, challenge_bytes},
                            {packet_type::keep_alive, keep_alive},
                            {packet_type::payload, payload},
                            {packet_type::disconnect, {}}};
  const std::uint64_t sequences[] = {0, 1, 255, 256, 0xffffffffull, 1ull << 40,
                                     std::numeric_limits<std::uint64_t>::max()};
  for (const auto& s : samples) {
    for (std::size_t n = 0; n < std::size(sequences); ++n) {
      const auto datagram = encode(s.type, sequences[n], s.body);
      const std::size_t sequence_bytes = n < 2 ? 1 : n == 2 ? 1 : n == 3 ? 2 : n == 4 ? 4 : n == 5 ? 6 : 8;
      EXPECT_EQ(datagram.size(), 1 + sequence_bytes + s.body.size() + kMacBytes);
      EXPECT_EQ(datagram[0], (sequence_bytes << 4) | static_cast<std::uint8_t>(s.type));
      auto opened = open(datagram);
      ASSERT_TRUE(opened) << to_string(opened.error());
      EXPECT_EQ(opened->type, s.type);
      EXPECT_EQ(opened->sequence, sequences[n]);
      EXPECT_TRUE(std::ranges::equal(opened->body, s.body));
    }
  }
  const auto parsed = parse_challenge_body(challenge_bytes);
  EXPECT_EQ(parsed->challenge_sequence, challenge.challenge_sequence);
  EXPECT_EQ(parsed->token, challenge.token);
  EXPECT_EQ(parse_keep_alive_body(keep_alive)->max_clients, 64u);
  EXPECT_EQ(parse_keep_alive_body(keep_alive)->client_index, 3u);
  EXPECT_EQ(parse_keep_alive_body(payload).error(), packet_error::bad_body_size);
  EXPECT_EQ(parse_challenge_body(payload).error(), packet_error::bad_body_size);
}

TEST(UdpPacketCodec, TheLargestPayloadFillsTheLargestDatagram) {
  const bytes payload(kMaxPayloadBytes, 7);
  const auto datagram = encode(packet_type::payload, std::numeric_limits<std::uint64_t>::max() - 1, payload);
  EXPECT_EQ(datagram.size(), kMaxDatagramBytes);
  EXPECT_TRUE(open(datagram));
  bytes out(kMaxDatagramBytes + 100);
  EXPECT_EQ(encode_packet(packet_type::payload, 0, bytes(kMaxPayloadBytes + 1), kProtocolId, fixed_key(5), out)
                .error(),
            packet_error::payload_too_large);
  EXPECT_EQ(encode_packet(packet_type::payload, 0, bytes{}, kProtocolId, fixed_key(5), out).error(),
            packet_error::bad_body_size);
  EXPECT_EQ(encode_packet(packet_type::keep_alive, 0, bytes(7), kProtocolId, fixed_key(5), out).error(),
            packet_error::bad_body_size);
  EXPECT_EQ(encode_packet(packet_type::connection_request, 0, bytes{}, kProtocolId, fixed_key(5), out).error(),
            packet_error::unexpected_type);
  bytes small(20);
  EXPECT_EQ(encode_packet(packet_type::payload, 0, bytes(10), kProtocolId, fixed_key(5), small).error(),
            packet_error::too_long);
}

TEST(UdpPacketCodec, HeaderRefusals) {
  const auto good = encode(packet_type::keep_alive, 300, keep_alive_body_bytes({}));
  EXPECT_EQ(open(bytes(good.begin(), good.begin() + kMinEncryptedPacketBytes - 1)).error(), packet_error::too_short);
  EXPECT_EQ(open(bytes(kMaxDatagramBytes + 1, 0x14)).error(), packet_error::too_long);
  auto edited = good;
  edited[0] = 0x17;  // type 7
  EXPECT_EQ(open(edited).error(), packet_error::bad_prefix);
  edited[0] = 0x1f;
  EXPECT_EQ(open(edited).error(), packet_error::bad_prefix);
  edited[0] = 0x04;  // no sequence bytes
  EXPECT_EQ(open(edited).error(), packet_error::bad_prefix);
  edited[0] = 0x94;  // nine sequence bytes
  EXPECT_EQ(open(edited).error(), packet_error::bad_prefix);
  edited[0] = 0x20;  // type 0 with a sequence: a request is never encrypted
  EXPECT_EQ(open(edited).error(), packet_error::bad_prefix);
  bytes short_for_its_sequence(1 + 8 + kMacBytes - 1, 0);
  short_for_its_sequence[0] = 0x84;
  EXPECT_EQ(open(short_for_its_sequence).error(), packet_error::too_short);
  EXPECT_EQ(open(good, {packet_type::payload}).error(), packet_error::unexpected_type);
}

TEST(UdpPacketCodec, AuthenticationRefusals) {
  const auto good = encode(packet_type::payload, 9, bytes{1, 2, 3});
  EXPECT_EQ(open(good, kAll, nullptr, fixed_key(6)).error(), packet_error::decrypt_failed);
  EXPECT_EQ(open(good, kAll, nullptr, fixed_key(5), kProtocolId + 1).error(), packet_error::decrypt_failed);
  for (std::size_t i = 1; i < good.size(); ++i) {
    auto edited = good;
    edited[i] ^= 0x20;
    EXPECT_EQ(open(edited).error(), packet_error::decrypt_failed) << "byte " << i;
  }
  auto retyped = good;
  retyped[0] = 0x16;  // payload -> disconnect: the prefix is in the associated data
  EXPECT_EQ(open(retyped).error(), packet_error::decrypt_failed);
  auto longer = good;  // sequence 9 written in two bytes: a different prefix, so a different MAC
  longer.insert(longer.begin() + 2, 0);
  longer[0] = 0x25;
  EXPECT_EQ(open(longer).error(), packet_error::decrypt_failed);
}

TEST(UdpPacketCodec, BodySizeRefusalsAfterAuthentication) {
  EXPECT_EQ(open(forge(0x14, 1, 1, bytes(7))).error(), packet_error::bad_body_size);       // keep-alive 7
  EXPECT_EQ(open(forge(0x11, 1, 1, bytes(1))).error(), packet_error::bad_body_size);       // denied 1
  EXPECT_EQ(open(forge(0x16, 1, 1, bytes(1))).error(), packet_error::bad_body_size);       // disconnect 1
  EXPECT_EQ(open(forge(0x12, 1, 1, bytes(307))).error(), packet_error::bad_body_size);     // challenge 307
  EXPECT_EQ(open(forge(0x13, 1, 1, bytes(309))).error(), packet_error::bad_body_size);     // response 309
  EXPECT_EQ(open(forge(0x15, 1, 1, bytes{})).error(), packet_error::bad_body_size);        // payload 0
  EXPECT_EQ(open(forge(0x15, 1, 1, bytes(kMaxPayloadBytes + 1))).error(), packet_error::payload_too_large);
  EXPECT_TRUE(open(forge(0x15, 1, 1, bytes(kMaxPayloadBytes))));
  EXPECT_TRUE(open(forge(0x85, 1, 8, bytes(1))));  // a padded sequence is legal: the MAC covers the prefix
}

TEST(UdpPacketCodec, ReplayProtectionCoversKeepAlivePayloadAndDisconnectOnly) {
  replay_window window;
  const auto payload = encode(packet_type::payload, 4, bytes{1});
  EXPECT_TRUE(open(payload, kAll, &window));
  EXPECT_EQ(open(payload, kAll, &window).error(), packet_error::replayed);
  const auto keep_alive = encode(packet_type::keep_alive, 5, keep_alive_body_bytes({}));
  EXPECT_TRUE(open(keep_alive, kAll, &window));
  EXPECT_EQ(open(keep_alive, kAll, &window).error(), packet_error::replayed);
  const auto disconnect = encode(packet_type::disconnect, 6, {});
  EXPECT_TRUE(open(disconnect, kAll, &window));
  EXPECT_EQ(open(disconnect, kAll, &window).error(), packet_error::replayed);
  const auto challenge = encode(packet_type::connection_challenge, 6, challenge_body_bytes({}));
  EXPECT_TRUE(open(challenge, kAll, &window));
  EXPECT_TRUE(open(challenge, kAll, &window));
  // A forged packet with a fresh sequence does not move the window.
  auto forged = encode(packet_type::payload, 7, bytes{1});
  forged.back() ^= 1;
  EXPECT_EQ(open(forged, kAll, &window).error(), packet_error::decrypt_failed);
  EXPECT_TRUE(open(encode(packet_type::payload, 7, bytes{1}), kAll, &window));
}

TEST(UdpPacketCodec, ConnectionRequestRoundTripsAndRefusesInOrder) {
  connection_request request;
  request.expire_timestamp = 2000;
  for (std::size_t i = 0; i < request.nonce.size(); ++i) request.nonce[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < request.sealed_private.size(); ++i) {
    request.sealed_private[i] = static_cast<std::uint8_t>(i * 3);
  }
  bytes datagram(kMaxDatagramBytes);
  auto size = encode_connection_request(request, kProtocolId, datagram);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 1078u);
  datagram.resize(*size);
  auto decoded = decode_connection_request(datagram, kProtocolId, 1999);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->expire_timestamp, 2000u);
  EXPECT_EQ(decoded->nonce, request.nonce);
  EXPECT_EQ(decoded->sealed_private, request.sealed_private);

  EXPECT_EQ(decode_connection_request(bytes(datagram.begin(), datagram.end() - 1), kProtocolId, 0).error(),
            packet_error::too_short);
  auto longer = datagram;
  longer.push_back(0);
  EXPECT_EQ(decode_connection_request(longer, kProtocolId, 0).error(), packet_error::too_long);
  auto edited = datagram;
  edited[0] = 1;
  EXPECT_EQ(decode_connection_request(edited, kProtocolId, 0).error(), packet_error::bad_prefix);
  edited = datagram;
  edited[1] = 'N';
  EXPECT_EQ(decode_connection_request(edited, kProtocolId, 0).error(), packet_error::bad_version);
  EXPECT_EQ(decode_connection_request(datagram, kProtocolId + 1, 0).error(), packet_error::wrong_protocol_id);
  EXPECT_EQ(decode_connection_request(datagram, kProtocolId, 2000).error(), packet_error::token_expired);
  EXPECT_EQ(decode_connection_request(datagram, kProtocolId, 2001).error(), packet_error::token_expired);
  bytes small(1077);
  EXPECT_EQ(encode_connection_request(request, kProtocolId, small).error(), packet_error::too_long);
}

TEST(UdpPacketCodec, EveryErrorHasAName) {
  for (std::size_t i = 0; i < kPacketErrorCount; ++i) {
    EXPECT_NE(to_string(static_cast<packet_error>(i)), "unknown") << i;
  }
}

}  // namespace
