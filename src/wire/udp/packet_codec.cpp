#include "wire/udp/packet_codec.hpp"

#include <sodium.h>

#include <algorithm>

#include "wire/udp/detail/byte_io.hpp"
#include "wire/udp/detail/nonce.hpp"
#include "wire/udp/detail/sodium_ready.hpp"

namespace guildhall::wire::udp {

static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kMacBytes);
static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kKeyBytes);

namespace {

constexpr std::size_t kPacketAdBytes = kVersionInfoBytes + 8 + 1;

std::array<std::uint8_t, kPacketAdBytes> packet_ad(std::uint64_t protocol_id, std::uint8_t prefix) {
  std::array<std::uint8_t, kPacketAdBytes> ad{};
  detail::byte_writer out(ad);
  out.bytes(kVersionInfo);
  out.u64(protocol_id);
  out.u8(prefix);
  return ad;
}

std::size_t sequence_bytes(std::uint64_t sequence) {
  std::size_t count = 1;
  while (count < 8 && (sequence >> (8 * count)) != 0) ++count;
  return count;
}

bool replay_protected(packet_type type) {
  return type == packet_type::keep_alive || type == packet_type::payload || type == packet_type::disconnect;
}

}  // namespace

std::expected<void, packet_error> check_body_size(packet_type type, std::size_t body_bytes) {
  switch (type) {
    case packet_type::connection_denied:
    case packet_type::disconnect:
      if (body_bytes == 0) return {};
      break;
    case packet_type::connection_challenge:
    case packet_type::connection_response:
      if (body_bytes == kChallengeBodyBytes) return {};
      break;
    case packet_type::keep_alive:
      if (body_bytes == kKeepAliveBodyBytes) return {};
      break;
    case packet_type::payload:
      if (body_bytes > kMaxPayloadBytes) return std::unexpected(packet_error::payload_too_large);
      if (body_bytes > 0) return {};
      break;
    case packet_type::connection_request:
      return std::unexpected(packet_error::unexpected_type);
  }
  return std::unexpected(packet_error::bad_body_size);
}

std::expected<std::size_t, packet_error> encode_connection_request(const connection_request& request,
                                                                   std::uint64_t protocol_id,
                                                                   std::span<std::uint8_t> out) {
  detail::byte_writer writer(out);
  writer.u8(0);
  writer.bytes(kVersionInfo);
  writer.u64(protocol_id);
  writer.u64(request.expire_timestamp);
  writer.bytes(request.nonce);
  writer.bytes(request.sealed_private);
  if (!writer.ok()) return std::unexpected(packet_error::too_long);
  return writer.size();
}

std::expected<connection_request, packet_error> decode_connection_request(std::span<const std::uint8_t> datagram,
                                                                          std::uint64_t protocol_id,
                                                                          std::uint64_t now_s) {
  if (datagram.size() < kConnectionRequestBytes) return std::unexpected(packet_error::too_short);
  if (datagram.size() > kConnectionRequestBytes) return std::unexpected(packet_error::too_long);
  detail::byte_reader in(datagram);
  if (in.u8() != 0) return std::unexpected(packet_error::bad_prefix);
  if (!std::ranges::equal(in.bytes(kVersionInfoBytes), kVersionInfo)) {
    return std::unexpected(packet_error::bad_version);
  }
  if (in.u64() != protocol_id) return std::unexpected(packet_error::wrong_protocol_id);
  connection_request request;
  request.expire_timestamp = in.u64();
  if (request.expire_timestamp <= now_s) return std::unexpected(packet_error::token_expired);
  std::ranges::copy(in.bytes(kConnectTokenNonceBytes), request.nonce.begin());
  std::ranges::copy(in.bytes(kConnectTokenPrivateBytes), request.sealed_private.begin());
  return request;
}

std::expected<std::size_t, packet_error> encode_packet(packet_type type, std::uint64_t sequence,
                                                       std::span<const std::uint8_t> body, std::uint64_t protocol_id,
                                                       const key& write_key, std::span<std::uint8_t> out) {
  if (auto sized = check_body_size(type, body.size()); !sized) return std::unexpected(sized.error());
  const std::size_t count = sequence_bytes(sequence);
  const std::size_t total = kPrefixBytes + count + body.size() + kMacBytes;
  if (out.size() < total) return std::unexpected(packet_error::too_long);
  detail::ensure_sodium();
  const auto prefix = static_cast<std::uint8_t>((count << 4) | static_cast<std::uint8_t>(type));
  out[0] = prefix;
  for (std::size_t i = 0; i < count; ++i) out[1 + i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  const auto ad = packet_ad(protocol_id, prefix);
  const auto nonce = detail::sequence_nonce(sequence);
  unsigned long long sealed_bytes = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + 1 + count, &sealed_bytes, body.data(), body.size(),
                                            ad.data(), ad.size(), nullptr, nonce.data(), write_key.data());
  return total;
}

std::array<std::uint8_t, kChallengeBodyBytes> challenge_body_bytes(const challenge_body& body) {
  std::array<std::uint8_t, kChallengeBodyBytes> bytes{};
  detail::byte_writer out(bytes);
  out.u64(body.challenge_sequence);
  out.bytes(body.token);
  return bytes;
}

std::array<std::uint8_t, kKeepAliveBodyBytes> keep_alive_body_bytes(const keep_alive_body& body) {
  std::array<std::uint8_t, kKeepAliveBodyBytes> bytes{};
  detail::byte_writer out(bytes);
  out.u32(body.client_index);
  out.u32(body.max_clients);
  return bytes;
}

std::expected<challenge_body, packet_error> parse_challenge_body(std::span<const std::uint8_t> body) {
  if (body.size() != kChallengeBodyBytes) return std::unexpected(packet_error::bad_body_size);
  detail::byte_reader in(body);
  challenge_body parsed;
  parsed.challenge_sequence = in.u64();
  std::ranges::copy(in.bytes(kChallengeTokenBytes), parsed.token.begin());
  return parsed;
}

std::expected<keep_alive_body, packet_error> parse_keep_alive_body(std::span<const std::uint8_t> body) {
  if (body.size() != kKeepAliveBodyBytes) return std::unexpected(packet_error::bad_body_size);
  detail::byte_reader in(body);
  keep_alive_body parsed;
  parsed.client_index = in.u32();
  parsed.max_clients = in.u32();
  return parsed;
}

std::expected<packet_header, packet_error> peek_packet_header(std::span<const std::uint8_t> datagram) {
  if (datagram.size() > kMaxDatagramBytes) return std::unexpected(packet_error::too_long);
  if (datagram.size() < kMinEncryptedPacketBytes) return std::unexpected(packet_error::too_short);
  const std::uint8_t prefix = datagram[0];
  const unsigned type = prefix & 0x0fu;
  const std::size_t count = prefix >> 4;
  if (type == 0 || type >= kPacketTypeCount || count < 1 || count > kMaxSequenceBytes) {
    return std::unexpected(packet_error::bad_prefix);
  }
  if (datagram.size() < kPrefixBytes + count + kMacBytes) return std::unexpected(packet_error::too_short);
  packet_header header;
  header.type = static_cast<packet_type>(type);
  for (std::size_t i = 0; i < count; ++i) header.sequence |= std::uint64_t{datagram[1 + i]} << (8 * i);
  header.header_bytes = kPrefixBytes + count;
  return header;
}

std::expected<opened_packet, packet_error> open_packet(std::span<const std::uint8_t> datagram,
                                                       packet_type_set allowed, std::uint64_t protocol_id,
                                                       const key& read_key, replay_window* replay,
                                                       std::span<std::uint8_t, kMaxDatagramBytes> scratch) {
  auto header = peek_packet_header(datagram);
  if (!header) return std::unexpected(header.error());
  if (!allowed.contains(header->type)) return std::unexpected(packet_error::unexpected_type);
  const bool protect = replay != nullptr && replay_protected(header->type);
  if (protect && replay->already_received(header->sequence)) return std::unexpected(packet_error::replayed);
  detail::ensure_sodium();
  const auto sealed = datagram.subspan(header->header_bytes);
  const auto ad = packet_ad(protocol_id, datagram[0]);
  const auto nonce = detail::sequence_nonce(header->sequence);
  unsigned long long body_bytes = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(scratch.data(), &body_bytes, nullptr, sealed.data(), sealed.size(),
                                                ad.data(), ad.size(), nonce.data(), read_key.data()) != 0) {
    return std::unexpected(packet_error::decrypt_failed);
  }
  if (protect) replay->advance(header->sequence);
  if (auto sized = check_body_size(header->type, body_bytes); !sized) return std::unexpected(sized.error());
  return opened_packet{header->type, header->sequence, std::span<const std::uint8_t>(scratch.data(), body_bytes)};
}

}  // namespace guildhall::wire::udp
