#include "wire/udp/peer_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace guildhall::wire::udp {

peer_address peer_address::ipv4(std::array<std::uint8_t, 4> octets, std::uint16_t port) {
  peer_address address;
  address.family = address_family::ipv4;
  std::copy(octets.begin(), octets.end(), address.bytes.begin());
  address.port = port;
  return address;
}

peer_address peer_address::ipv6(std::array<std::uint8_t, 16> octets, std::uint16_t port) {
  return peer_address{address_family::ipv6, octets, port};
}

std::string peer_address::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  switch (family) {
    case address_family::ipv4:
      inet_ntop(AF_INET, bytes.data(), text, sizeof text);
      return std::string(text) + ":" + std::to_string(port);
    case address_family::ipv6:
      inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
      return "[" + std::string(text) + "]:" + std::to_string(port);
    case address_family::none:
      break;
  }
  return "none";
}

namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<peer_address> parse_peer_address(std::string_view text) {
  // inet_pton needs a terminated string; anything longer than an IPv6 literal plus port is not an address.
  if (text.size() > INET6_ADDRSTRLEN + 8) return std::nullopt;
  peer_address address;
  std::string host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
    if (inet_pton(AF_INET6, host.c_str(), address.bytes.data()) != 1) return std::nullopt;
    address.family = address_family::ipv6;
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (inet_pton(AF_INET, host.c_str(), address.bytes.data()) != 1) return std::nullopt;
    address.family = address_family::ipv4;
  }
  auto port = parse_port(port_text);
  if (!port) return std::nullopt;
  address.port = *port;
  return address;
}

std::size_t peer_address_hash::operator()(const peer_address& address) const noexcept {
  // FNV-1a over family, bytes and port. Addresses are chosen by peers, but a UDP source cannot be picked freely
  // without losing the replies, and every map keyed by address is capped, so a plain hash is enough.
  std::uint64_t hash = 0xcbf29ce484222325ull;
  auto mix = [&hash](std::uint8_t byte) {
    hash ^= byte;
    hash *= 0x100000001b3ull;
  };
  mix(static_cast<std::uint8_t>(address.family));
  for (auto byte : address.bytes) mix(byte);
  mix(static_cast<std::uint8_t>(address.port));
  mix(static_cast<std::uint8_t>(address.port >> 8));
  return static_cast<std::size_t>(hash);
}

}  // namespace guildhall::wire::udp
