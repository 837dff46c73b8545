#pragma once
// Where the sans-I/O protocol objects put the datagrams they want sent. The transport implements it by copying
// into its sendmmsg batch; tests implement it with a vector. `bytes` is only valid during the call.
#include <cstdint>
#include <span>

#include "wire/udp/peer_address.hpp"

namespace guildhall::wire::udp {

class datagram_sink {
 public:
  virtual ~datagram_sink() = default;
  virtual void send(const peer_address& to, std::span<const std::uint8_t> bytes) = 0;
};

}  // namespace guildhall::wire::udp
