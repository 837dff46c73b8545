#include "net/udp/peer_conversion.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace guildhall::net {
namespace udp = wire::udp;

udp::peer_address to_peer_address(const socket_address& address) {
  if (address.storage.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address.storage);
    std::array<std::uint8_t, 4> octets{};
    std::memcpy(octets.data(), &v4.sin_addr, 4);
    return udp::peer_address::ipv4(octets, ntohs(v4.sin_port));
  }
  if (address.storage.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address.storage);
    std::array<std::uint8_t, 16> octets{};
    std::memcpy(octets.data(), &v6.sin6_addr, 16);
    return udp::peer_address::ipv6(octets, ntohs(v6.sin6_port));
  }
  return {};
}

socket_address to_socket_address(const udp::peer_address& address) {
  socket_address out;
  if (address.family == udp::address_family::ipv4) {
    auto& v4 = reinterpret_cast<sockaddr_in&>(out.storage);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(address.port);
    std::memcpy(&v4.sin_addr, address.bytes.data(), 4);
    out.length = sizeof(sockaddr_in);
  } else {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(out.storage);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(address.port);
    std::memcpy(&v6.sin6_addr, address.bytes.data(), 16);
    out.length = sizeof(sockaddr_in6);
  }
  return out;
}

}  // namespace guildhall::net
