#include "server/connect_token_issuer.hpp"

#include <sodium.h>

namespace guildhall::server {

wire::udp::key derive_connect_token_key(const services::token_signer::key& master) {
  static_assert(services::token_signer::kKeyBytes == crypto_kdf_KEYBYTES);
  wire::udp::key derived{};
  constexpr std::uint64_t kSubkeyId = 1;
  crypto_kdf_derive_from_key(derived.data(), derived.size(), kSubkeyId, "udptoken", master.data());
  return derived;
}

connect_token_issuer::connect_token_issuer(wire::udp::key sealing_key, const net::udp_config& config,
                                           std::uint16_t udp_port)
    : sealing_key_(sealing_key),
      public_address_(config.public_address),
      udp_port_(udp_port),
      lifetime_s_(config.token_lifetime_s),
      timeout_s_(config.timeout_s) {}

namespace {

std::string with_port(const std::string& ip, std::uint16_t port) {
  const bool v6 = ip.find(':') != std::string::npos;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string bytes_of(std::span<const std::uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

result<wire::v1::ConnectToken> connect_token_issuer::issue(const services::token_claims& who,
                                                           const std::string& local_address,
                                                           std::uint64_t now_s) const {
  const std::string address_text = public_address_.empty() ? with_port(local_address, udp_port_) : public_address_;
  auto address = wire::udp::parse_peer_address(address_text);
  if (!address) return fail(errc::internal, "no UDP address to give out (" + address_text + ")");

  wire::udp::connect_token_private secret;
  // The connection layer allows one connection per client id; a user may hold several (two devices, as over
  // TCP), so the id names the token, and the user travels in the identity.
  randombytes_buf(&secret.client_id, sizeof secret.client_id);
  secret.timeout_seconds = timeout_s_;
  secret.server_addresses = {*address};
  auto identity = wire::udp::pack_identity({who.user_id, who.username, 0});
  if (!identity) return std::unexpected(identity.error());
  secret.user_data = *identity;
  auto issued = wire::udp::issue_connect_token(secret, net::kUdpProtocolId, now_s, lifetime_s_, sealing_key_);
  if (!issued) return std::unexpected(issued.error());
  const auto& token = *issued;

  wire::v1::ConnectToken answer;
  answer.set_protocol_id(token.protocol_id);
  answer.set_create_timestamp(token.create_timestamp);
  answer.set_expire_timestamp(token.expire_timestamp);
  answer.set_nonce(bytes_of(token.nonce));
  answer.set_sealed_private(bytes_of(token.sealed_private));
  answer.set_timeout_seconds(token.timeout_seconds);
  for (const auto& server : token.server_addresses) answer.add_server_addresses(server.to_string());
  answer.set_client_to_server_key(bytes_of(token.client_to_server_key));
  answer.set_server_to_client_key(bytes_of(token.server_to_client_key));
  return answer;
}

}  // namespace guildhall::server
