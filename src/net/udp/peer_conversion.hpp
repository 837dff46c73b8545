#pragma once
// Between the socket's addresses and the sans-I/O protocol's (wire/udp/peer_address.hpp).
#include "net/udp/datagram_socket.hpp"
#include "wire/udp/peer_address.hpp"

namespace guildhall::net {

wire::udp::peer_address to_peer_address(const socket_address& address);
socket_address to_socket_address(const wire::udp::peer_address& address);

}  // namespace guildhall::net
