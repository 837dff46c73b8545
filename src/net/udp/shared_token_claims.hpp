#pragma once
// Which address first used each connect token, for every shard of the UDP transport at once
// (server_protocol_config::claim_token). The kernel hashes a client's address to one shard, so a connection
// request captured and replayed from another address usually reaches another shard, whose own table has never
// seen the token: without this shared record that shard would answer it with a challenge.
// Thread-safety: any shard. Its mutex is the only lock of the UDP path, taken once per connection request whose
// token opened with our key (never per packet) and held for one map lookup; nothing is locked while it is held.
#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "wire/udp/peer_address.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::net {

class shared_token_claims {
 public:
  using token_mac = std::array<std::uint8_t, wire::udp::kMacBytes>;

  // At most `capacity` tokens remembered; past it the oldest is forgotten (a token lives token_lifetime_s).
  explicit shared_token_claims(std::size_t capacity) : capacity_(capacity) {}

  // True when `from` used the token first (or again). Expired tokens are forgotten as they are met.
  bool claim(const token_mac& mac, const wire::udp::peer_address& from, std::uint64_t expire_ms, std::uint64_t now_ms);

 private:
  struct mac_hash {
    std::size_t operator()(const token_mac& mac) const noexcept;
  };
  struct claim_entry {
    wire::udp::peer_address first;
    std::uint64_t expire_ms;
  };

  std::mutex mutex_;
  std::size_t capacity_;
  std::unordered_map<token_mac, claim_entry, mac_hash> claims_;
  std::deque<token_mac> order_;  // oldest first, the same tokens as claims_
};

}  // namespace guildhall::net
