#pragma once
// Sizes, caps and timings of the UDP connection layer (netcode.io STANDARD.md 1.02, adapted). Every cap that bounds
// what a hostile peer can make the server hold is named here so the transport, the tests and docs/protocol.md
// agree on one number.
#include <array>
#include <cstddef>
#include <cstdint>

namespace guildhall::wire::udp {

// Largest datagram either side sends or accepts: the IPv6 minimum MTU (1280) minus IPv6 (40) and UDP (8) headers,
// with room left for tunnels, so no datagram is ever fragmented by IP.
inline constexpr std::size_t kMaxDatagramBytes = 1200;
inline constexpr std::size_t kKeyBytes = 32;  // ChaCha20-Poly1305 and XChaCha20-Poly1305 keys
inline constexpr std::size_t kMacBytes = 16;  // Poly1305 tag
inline constexpr std::size_t kMaxSequenceBytes = 8;
inline constexpr std::size_t kPrefixBytes = 1;
// The largest opaque payload that fits one encrypted payload packet: 1200 - prefix - 8-byte sequence - MAC = 1175.
inline constexpr std::size_t kMaxPayloadBytes = kMaxDatagramBytes - kPrefixBytes - kMaxSequenceBytes - kMacBytes;

// Protocol version, 13 bytes like netcode's "NETCODE 1.02\0". It is bound into every packet's associated data, so a
// peer of another version fails authentication instead of being misread. ("GUILDHALL 1.00" would be 14 bytes.)
inline constexpr std::size_t kVersionInfoBytes = 13;
inline constexpr std::array<std::uint8_t, kVersionInfoBytes> kVersionInfo = {'G', 'U', 'I', 'L', 'D', 'H', 'A',
                                                                             'L', 'L', ' ', '1', '.', '0'};

inline constexpr std::size_t kConnectTokenNonceBytes = 24;     // XChaCha20 nonce, random per token
inline constexpr std::size_t kConnectTokenPrivateBytes = 1024;  // sealed private part, MAC included
inline constexpr std::size_t kChallengeTokenBytes = 300;        // sealed challenge token, MAC included
inline constexpr std::size_t kUserDataBytes = 256;
inline constexpr std::size_t kMaxServerAddresses = 8;
inline constexpr std::size_t kMaxUsernameBytes = 64;  // in token_identity, UTF-8

// Connection request: prefix, version, protocol id, expire timestamp, nonce, sealed private token.
inline constexpr std::size_t kConnectionRequestBytes =
    kPrefixBytes + kVersionInfoBytes + 8 + 8 + kConnectTokenNonceBytes + kConnectTokenPrivateBytes;  // 1078
static_assert(kConnectionRequestBytes == 1078);
// Bodies (before encryption) of the fixed-size packet types.
inline constexpr std::size_t kChallengeBodyBytes = 8 + kChallengeTokenBytes;  // challenge sequence + token
inline constexpr std::size_t kKeepAliveBodyBytes = 8;                         // client index + max clients
// Smallest encrypted packet: prefix, one sequence byte, empty body, MAC.
inline constexpr std::size_t kMinEncryptedPacketBytes = kPrefixBytes + 1 + kMacBytes;

// Per-connection replay protection: a few seconds of packets at 20-60 Hz (netcode's guide).
inline constexpr std::size_t kReplayWindow = 256;

// Timings. Keep-alives go out when nothing else was sent for the interval (netcode: 10 Hz); a connection with
// nothing received for the token's timeout is dropped.
inline constexpr std::uint64_t kKeepAliveIntervalMs = 100;
inline constexpr std::uint32_t kDefaultTimeoutSeconds = 10;
// A token asking for a longer timeout is refused as malformed: it bounds how long a silent client holds a slot.
inline constexpr std::uint32_t kMaxTimeoutSeconds = 120;
// Redundant disconnect packets, since UDP may lose any one of them (netcode sends 10).
inline constexpr int kDisconnectPackets = 10;

}  // namespace guildhall::wire::udp
