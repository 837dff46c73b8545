#pragma once
// The server side of the UDP connection layer for one shard (netcode STANDARD.md "Server-Side Connection
// Process"), sans-I/O: the transport hands it datagrams and the time, and gives it a sink for what it sends.
// Rules it keeps, each against an attack:
//  - Only a connection request is read from an unknown address; anything else from one is dropped and counted
//    (spoofed or stale packets cost one hash lookup).
//  - A request is refused silently unless its token opens with our key, is unexpired, names one of our public
//    addresses, and was not already used from another address (a captured request replayed elsewhere).
//  - Before the handshake completes no answer is larger than the packet that caused it (no amplification): a
//    1078-byte request gets a ~330-byte challenge or an 18-byte denial, a response a ~30-byte keep-alive.
//  - Every table is capped: clients (max_clients), handshakes in progress (max_pending, each expiring after the
//    token's timeout or at its expiry), used tokens (max_token_entries, oldest evicted).
//  - A packet sequence never repeats under one key: a token's send sequence survives its handshake entry and its
//    connection in the used-token table.
// Time: `now_ms` is Unix time in milliseconds (tokens expire in Unix seconds). Elapsed times are computed so that a
// wall clock stepping backwards delays keep-alives and time-outs instead of firing them.
// Thread-safety: none; one instance per shard, used only on that shard's thread. Events are called synchronously
// from receive(), update() and disconnect(); a handler may call send_payload() and disconnect(), not receive() or
// update().
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "wire/udp/connect_token.hpp"
#include "wire/udp/datagram_sink.hpp"
#include "wire/udp/packet_codec.hpp"
#include "wire/udp/packet_error.hpp"
#include "wire/udp/peer_address.hpp"
#include "wire/udp/replay_window.hpp"
#include "wire/udp/udp_limits.hpp"

namespace guildhall::wire::udp {

enum class disconnect_reason : std::uint8_t {
  timed_out,      // nothing received for the token's timeout
  client_left,    // the client sent a disconnect packet
  server_closed,  // server_protocol::disconnect()
};
inline constexpr std::size_t kDisconnectReasonCount = 3;
std::string_view to_string(disconnect_reason reason);

// Names a connected client from on_connected until on_disconnected; a stale handle (slot reused) is refused, not
// misdirected, thanks to the generation.
struct client_handle {
  std::uint32_t slot = ~std::uint32_t{0};
  std::uint32_t generation = 0;

  bool operator==(const client_handle&) const = default;
};

struct server_protocol_config {
  std::uint64_t protocol_id = 0;  // tells this game's packets from another's; bound into every MAC
  key connect_token_key{};        // shared with whatever issues tokens (the HTTP/WebSocket side)
  std::vector<peer_address> public_addresses;  // a token must name one of them, else it is refused
  // Connected clients in this instance; a valid request or response beyond it is answered "denied".
  std::size_t max_clients = 1024;
  // Handshakes between request and response. Only holders of valid tokens can add one, so this bounds what a
  // stolen or mass-issued token batch can pin; raise it with max_clients.
  std::size_t max_pending = 1024;
  // Tokens remembered as used (against a request replayed from another address). Should cover the tokens
  // issued within one token lifetime; when full the oldest is forgotten.
  std::size_t max_token_entries = 16384;
  // Shared by every instance of one server (one per shard): true when `from` may use the token with this MAC, that
  // is, no other address used it first. Each shard sees only the clients the kernel hashes to it, so a request
  // replayed from another address may reach a shard whose own table has never seen the token; this asks all of
  // them. Called only for requests whose token opened with our key. Empty: this instance's table decides alone.
  std::function<bool(const std::array<std::uint8_t, kMacBytes>& mac, const peer_address& from,
                     std::uint64_t expire_ms)>
      claim_token;
  // The key that seals challenge tokens. Leave empty: a random one is drawn at construction. Set only in tests and
  // fuzzing, which need reproducible bytes.
  std::optional<key> challenge_key;

  // errc::invalid_argument for no public address or a zero cap.
  std::expected<void, error> validate() const;
};

class server_protocol_events {
 public:
  virtual ~server_protocol_events() = default;
  virtual void on_connected(client_handle client, const peer_address& from, const token_identity& identity) = 0;
  // `payload` (1..kMaxPayloadBytes) is valid only during the call; `sequence`: the packet's, under which it was encrypted (unique per direction of a connection).
  virtual void on_payload(client_handle client, std::uint64_t sequence, std::span<const std::uint8_t> payload) = 0;
  // The handle is invalid from this call on.
  virtual void on_disconnected(client_handle client, disconnect_reason reason) = 0;
};

class server_protocol {
 public:
  // Throws std::invalid_argument when config.validate() fails (a start-up error).
  server_protocol(server_protocol_config config, server_protocol_events& events);

  void receive(const peer_address& from, std::span<const std::uint8_t> datagram, std::uint64_t now_ms,
               datagram_sink& out);
  // False for a stale handle or a payload outside 1..kMaxPayloadBytes.
  bool send_payload(client_handle client, std::span<const std::uint8_t> payload, std::uint64_t now_ms,
                    datagram_sink& out);
  // The sequence the next send_payload() to `client` will be encrypted under (none for a stale handle): the message
  // layer numbers its packets with it (endpoint_config::sequence_from_transport).
  std::optional<std::uint64_t> next_payload_sequence(client_handle client) const;
  // Keep-alives to clients sent nothing for kKeepAliveIntervalMs, time-outs, expired handshakes and tokens.
  // Call it at least every kKeepAliveIntervalMs.
  void update(std::uint64_t now_ms, datagram_sink& out);
  // Sends kDisconnectPackets disconnect packets, frees the slot, then calls on_disconnected(server_closed).
  void disconnect(client_handle client, datagram_sink& out);

  std::size_t client_count() const { return by_address_.size(); }
  std::size_t pending_count() const { return pending_.size(); }
  std::size_t token_entry_count() const { return tokens_.size(); }
  std::optional<peer_address> address_of(client_handle client) const;
  const packet_error_counts& drops() const { return drops_; }
  std::uint64_t drops(packet_error error) const { return drops_[static_cast<std::size_t>(error)]; }
  std::uint64_t disconnects(disconnect_reason reason) const {
    return disconnects_[static_cast<std::size_t>(reason)];
  }
  std::uint64_t denied_count() const { return denied_; }

 private:
  using token_mac = std::array<std::uint8_t, kMacBytes>;
  struct token_mac_hash {
    std::size_t operator()(const token_mac& mac) const noexcept;
  };
  struct token_entry {
    peer_address first_address;
    std::uint64_t expire_ms = 0;
    std::uint64_t next_sequence = 0;  // for the token's server-to-client key, while no handshake or slot holds it
  };
  struct pending_handshake {
    token_mac mac{};
    std::uint64_t client_id = 0;
    key client_to_server_key{};
    key server_to_client_key{};
    std::uint64_t send_sequence = 0;
    std::uint32_t timeout_ms = 0;
    std::uint64_t deadline_ms = 0;  // the token's timeout after the first request, or its expiry if sooner
  };
  struct client_slot {
    bool used = false;
    bool confirmed = false;  // the client has sent a keep-alive or payload: it knows it is connected
    std::uint32_t generation = 0;
    peer_address address;
    std::uint64_t client_id = 0;
    token_mac mac{};
    key client_to_server_key{};
    key server_to_client_key{};
    std::uint64_t send_sequence = 0;
    std::uint32_t timeout_ms = 0;
    std::uint64_t last_receive_ms = 0;
    std::uint64_t last_send_ms = 0;
    replay_window replay;
  };

  void handle_request(const peer_address& from, std::span<const std::uint8_t> datagram, std::uint64_t now_ms,
                      datagram_sink& out);
  void handle_response(const peer_address& from, pending_handshake& pending, std::span<const std::uint8_t> datagram,
                       std::uint64_t now_ms, datagram_sink& out);
  void handle_connected(std::uint32_t index, std::span<const std::uint8_t> datagram, std::uint64_t now_ms);
  // Records a token's first use; nullptr when it was first used from another address.
  token_entry* remember_token(const token_mac& mac, const peer_address& from, std::uint64_t expire_ms);
  pending_handshake* start_handshake(const peer_address& from, const connect_token_private& token,
                                     const token_mac& mac, token_entry& entry, std::uint64_t now_ms);
  void connect_client(const peer_address& from, const pending_handshake& pending, const token_identity& identity,
                      std::uint64_t now_ms, datagram_sink& out);
  void free_slot(std::uint32_t index, disconnect_reason reason);
  void end_handshake(std::unordered_map<peer_address, pending_handshake>::iterator it);
  void save_sequence(const token_mac& mac, std::uint64_t next_sequence);
  void send_keep_alive(std::uint32_t index, std::uint64_t now_ms, datagram_sink& out);
  void send_packet(const peer_address& to, packet_type type, std::span<const std::uint8_t> body, const key& write_key,
                   std::uint64_t& sequence, datagram_sink& out);
  client_slot* find(client_handle client);
  const client_slot* find(client_handle client) const;
  void drop(packet_error error) { ++drops_[static_cast<std::size_t>(error)]; }

  server_protocol_config config_;
  server_protocol_events& events_;
  key challenge_key_{};
  std::uint64_t challenge_sequence_ = 0;
  std::vector<client_slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::unordered_map<peer_address, std::uint32_t> by_address_;
  std::unordered_map<std::uint64_t, std::uint32_t> by_client_id_;
  std::unordered_map<peer_address, pending_handshake> pending_;
  std::unordered_map<token_mac, token_entry, token_mac_hash> tokens_;
  std::deque<token_mac> token_order_;  // insertion order, for eviction; same members as tokens_
  packet_error_counts drops_{};
  std::array<std::uint64_t, kDisconnectReasonCount> disconnects_{};
  std::uint64_t denied_ = 0;
  std::array<std::uint8_t, kMaxDatagramBytes> receive_scratch_{};
  std::array<std::uint8_t, kMaxDatagramBytes> send_buffer_{};
};

}  // namespace guildhall::wire::udp
