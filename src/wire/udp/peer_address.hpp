#pragma once
// A UDP peer's address as plain bytes (IPv4 or IPv6 plus port), so the sans-I/O protocol code can key maps by it
// and carry it inside connect tokens without Asio. The transport converts to and from its endpoint type.
// Thread-safety: a value type.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace guildhall::wire::udp {

enum class address_family : std::uint8_t { none = 0, ipv4 = 1, ipv6 = 2 };  // values are the token's type byte

struct peer_address {
  address_family family = address_family::none;
  std::array<std::uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4, the rest stay zero
  std::uint16_t port = 0;                // host order

  static peer_address ipv4(std::array<std::uint8_t, 4> octets, std::uint16_t port);
  static peer_address ipv6(std::array<std::uint8_t, 16> octets, std::uint16_t port);

  bool operator==(const peer_address&) const = default;
  // "1.2.3.4:5", "[::1]:5"; "none" for the empty address.
  std::string to_string() const;
};

// "a.b.c.d:port" or "[ipv6]:port"; nullopt for anything else (a missing or zero port too).
std::optional<peer_address> parse_peer_address(std::string_view text);

struct peer_address_hash {
  std::size_t operator()(const peer_address& address) const noexcept;
};

}  // namespace guildhall::wire::udp

template <>
struct std::hash<guildhall::wire::udp::peer_address> : guildhall::wire::udp::peer_address_hash {};
