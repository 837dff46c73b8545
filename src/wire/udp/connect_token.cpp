#include "wire/udp/connect_token.hpp"

#include <sodium.h>

#include <algorithm>

#include "wire/udp/detail/byte_io.hpp"
#include "wire/udp/detail/sodium_ready.hpp"
#include "wire/utf8.hpp"

namespace guildhall::wire::udp {

static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kConnectTokenNonceBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kKeyBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kMacBytes);

namespace {

constexpr std::size_t kIdentityHeaderBytes = 8 + 8 + 1;

bool claims_in_range(const connect_token_private& token) {
  if (token.server_addresses.empty() || token.server_addresses.size() > kMaxServerAddresses) return false;
  if (token.timeout_seconds == 0 || token.timeout_seconds > kMaxTimeoutSeconds) return false;
  return std::ranges::none_of(token.server_addresses,
                              [](const peer_address& a) { return a.family == address_family::none; });
}

void write_address(detail::byte_writer& out, const peer_address& address) {
  out.u8(static_cast<std::uint8_t>(address.family));
  const std::size_t length = address.family == address_family::ipv4 ? 4 : 16;
  out.bytes(std::span(address.bytes).first(length));
  out.u16(address.port);
}

std::optional<peer_address> read_address(detail::byte_reader& in) {
  const auto type = in.u8();
  if (type != static_cast<std::uint8_t>(address_family::ipv4) &&
      type != static_cast<std::uint8_t>(address_family::ipv6)) {
    return std::nullopt;
  }
  peer_address address;
  address.family = static_cast<address_family>(type);
  auto bytes = in.bytes(address.family == address_family::ipv4 ? 4 : 16);
  std::ranges::copy(bytes, address.bytes.begin());
  address.port = in.u16();
  if (!in.ok()) return std::nullopt;
  return address;
}

template <std::size_t N>
void copy_into(std::array<std::uint8_t, N>& to, std::span<const std::uint8_t> from) {
  if (from.size() == N) std::ranges::copy(from, to.begin());
}

}  // namespace

result<user_data_bytes> pack_identity(const token_identity& identity) {
  if (identity.username.size() > kMaxUsernameBytes) return fail(errc::invalid_argument, "username too long");
  if (!is_valid_utf8(identity.username)) return fail(errc::invalid_utf8, "username is not UTF-8");
  user_data_bytes data{};
  detail::byte_writer out(data);
  out.u64(identity.user_id);
  out.u64(identity.session_id);
  out.u8(static_cast<std::uint8_t>(identity.username.size()));
  out.bytes(std::span(reinterpret_cast<const std::uint8_t*>(identity.username.data()), identity.username.size()));
  return data;
}

std::expected<token_identity, packet_error> unpack_identity(std::span<const std::uint8_t, kUserDataBytes> data) {
  detail::byte_reader in(data);
  token_identity identity;
  identity.user_id = in.u64();
  identity.session_id = in.u64();
  const std::size_t length = in.u8();
  if (length > kMaxUsernameBytes) return std::unexpected(packet_error::bad_user_data);
  auto name = in.bytes(length);
  identity.username.assign(name.begin(), name.end());
  if (!is_valid_utf8(identity.username)) return std::unexpected(packet_error::bad_user_data);
  // Non-zero padding would let two byte strings mean one identity; only pack_identity's output is accepted.
  if (!std::ranges::all_of(in.rest(), [](std::uint8_t b) { return b == 0; })) {
    return std::unexpected(packet_error::bad_user_data);
  }
  return identity;
}

key generate_key() {
  detail::ensure_sodium();
  key k;
  randombytes_buf(k.data(), k.size());
  return k;
}

std::array<std::uint8_t, kConnectTokenAdBytes> connect_token_ad(std::uint64_t protocol_id,
                                                                std::uint64_t expire_timestamp) {
  std::array<std::uint8_t, kConnectTokenAdBytes> ad{};
  detail::byte_writer out(ad);
  out.bytes(kVersionInfo);
  out.u64(protocol_id);
  out.u64(expire_timestamp);
  return ad;
}

std::expected<void, packet_error> write_connect_token_private(const connect_token_private& token,
                                                              std::span<std::uint8_t, kConnectTokenPlainBytes> out) {
  if (!claims_in_range(token)) return std::unexpected(packet_error::token_malformed);
  std::ranges::fill(out, std::uint8_t{0});
  detail::byte_writer writer(out);
  writer.u64(token.client_id);
  writer.u32(token.timeout_seconds);
  writer.u32(static_cast<std::uint32_t>(token.server_addresses.size()));
  for (const auto& address : token.server_addresses) write_address(writer, address);
  writer.bytes(token.client_to_server_key);
  writer.bytes(token.server_to_client_key);
  writer.bytes(token.user_data);
  if (!writer.ok()) return std::unexpected(packet_error::token_malformed);
  return {};
}

std::expected<connect_token_private, packet_error> read_connect_token_private(
    std::span<const std::uint8_t, kConnectTokenPlainBytes> plain) {
  detail::byte_reader in(plain);
  connect_token_private token;
  token.client_id = in.u64();
  token.timeout_seconds = in.u32();
  const std::uint32_t count = in.u32();
  if (count == 0 || count > kMaxServerAddresses) return std::unexpected(packet_error::token_malformed);
  for (std::uint32_t i = 0; i < count; ++i) {
    auto address = read_address(in);
    if (!address) return std::unexpected(packet_error::token_malformed);
    token.server_addresses.push_back(*address);
  }
  copy_into(token.client_to_server_key, in.bytes(kKeyBytes));
  copy_into(token.server_to_client_key, in.bytes(kKeyBytes));
  copy_into(token.user_data, in.bytes(kUserDataBytes));
  if (!in.ok() || !claims_in_range(token)) return std::unexpected(packet_error::token_malformed);
  return token;
}

std::expected<sealed_private_token, packet_error> seal_connect_token(const connect_token_private& token,
                                                                     std::uint64_t protocol_id,
                                                                     std::uint64_t expire_timestamp,
                                                                     const token_nonce& nonce, const key& token_key) {
  detail::ensure_sodium();
  std::array<std::uint8_t, kConnectTokenPlainBytes> plain{};
  if (auto written = write_connect_token_private(token, plain); !written) return std::unexpected(written.error());
  const auto ad = connect_token_ad(protocol_id, expire_timestamp);
  sealed_private_token sealed{};
  unsigned long long sealed_bytes = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_bytes, plain.data(), plain.size(), ad.data(),
                                             ad.size(), nullptr, nonce.data(), token_key.data());
  sodium_memzero(plain.data(), plain.size());  // it held both session keys
  return sealed;
}

result<issued_connect_token> issue_connect_token(const connect_token_private& claims, std::uint64_t protocol_id,
                                                 std::uint64_t now_s, std::uint32_t lifetime_s,
                                                 const key& token_key) {
  if (lifetime_s == 0) return fail(errc::invalid_argument, "connect token lifetime must be positive");
  detail::ensure_sodium();
  connect_token_private token = claims;
  token.client_to_server_key = generate_key();
  token.server_to_client_key = generate_key();
  issued_connect_token issued;
  issued.protocol_id = protocol_id;
  issued.create_timestamp = now_s;
  issued.expire_timestamp = now_s + lifetime_s;
  randombytes_buf(issued.nonce.data(), issued.nonce.size());
  auto sealed = seal_connect_token(token, protocol_id, issued.expire_timestamp, issued.nonce, token_key);
  if (!sealed) {
    return fail(errc::invalid_argument, "connect token claims out of range (server addresses 1..8, timeout 1..120 s)");
  }
  issued.sealed_private = *sealed;
  issued.timeout_seconds = token.timeout_seconds;
  issued.server_addresses = token.server_addresses;
  issued.client_to_server_key = token.client_to_server_key;
  issued.server_to_client_key = token.server_to_client_key;
  return issued;
}

std::expected<connect_token_private, packet_error> open_connect_token(
    std::span<const std::uint8_t, kConnectTokenPrivateBytes> sealed, const token_nonce& nonce,
    std::uint64_t protocol_id, std::uint64_t expire_timestamp, const key& token_key) {
  detail::ensure_sodium();
  const auto ad = connect_token_ad(protocol_id, expire_timestamp);
  std::array<std::uint8_t, kConnectTokenPlainBytes> plain{};
  unsigned long long plain_bytes = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &plain_bytes, nullptr, sealed.data(), sealed.size(),
                                                 ad.data(), ad.size(), nonce.data(), token_key.data()) != 0) {
    return std::unexpected(packet_error::token_decrypt_failed);
  }
  auto token = read_connect_token_private(plain);
  sodium_memzero(plain.data(), plain.size());
  return token;
}

}  // namespace guildhall::wire::udp
