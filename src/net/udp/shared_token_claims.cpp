#include "net/udp/shared_token_claims.hpp"

#include <cstring>

namespace guildhall::net {

std::size_t shared_token_claims::mac_hash::operator()(const token_mac& mac) const noexcept {
  // A MAC is uniformly random to anyone without the key: its first bytes are a fine hash.
  std::size_t hash;
  std::memcpy(&hash, mac.data(), sizeof hash);
  return hash;
}

bool shared_token_claims::claim(const token_mac& mac, const wire::udp::peer_address& from, std::uint64_t expire_ms,
                                std::uint64_t now_ms) {
  const std::lock_guard lock(mutex_);
  while (!order_.empty()) {
    const auto oldest = claims_.find(order_.front());
    const bool stale = oldest == claims_.end() || oldest->second.expire_ms <= now_ms;
    if (!stale && claims_.size() < capacity_) break;
    if (oldest != claims_.end()) claims_.erase(oldest);
    order_.pop_front();
  }
  const auto [it, fresh] = claims_.try_emplace(mac, claim_entry{from, expire_ms});
  if (fresh) order_.push_back(mac);
  return it->second.first == from;
}

}  // namespace guildhall::net
