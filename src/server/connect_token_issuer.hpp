#pragma once
// Issues UDP connect tokens (POST /v1/udp/connect-token) to users who hold a valid access token. The private part
// is sealed with a key derived from the token key file, so every node sharing that file can open tokens any of
// them issued, and a restart does not void tokens in flight.
// Thread-safety: immutable after construction; `issue` is safe from any thread.
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "net/udp/udp_config.hpp"
#include "services/auth/token_signer.hpp"
#include "wire/codec.hpp"
#include "wire/udp/connect_token.hpp"

namespace guildhall::server {

// The key the UDP transport opens connect tokens with, derived from the session-token key (libsodium's KDF, its
// own context, so neither key reveals the other).
wire::udp::key derive_connect_token_key(const services::token_signer::key& master);

class connect_token_issuer {
 public:
  connect_token_issuer(wire::udp::key sealing_key, const net::udp_config& config, std::uint16_t udp_port);

  // A token for `who`, naming the address the client reached us at (`local_address`, the HTTP connection's
  // server-side IP) or udp.public_address when set.
  result<wire::v1::ConnectToken> issue(const services::token_claims& who, const std::string& local_address,
                                       std::uint64_t now_s) const;

 private:
  wire::udp::key sealing_key_;
  std::string public_address_;
  std::uint16_t udp_port_;
  std::uint32_t lifetime_s_;
  std::uint32_t timeout_s_;
};

}  // namespace guildhall::server
