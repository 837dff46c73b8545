#pragma once
// Glue between the two sans-I/O layers: each packet the message layer writes (packet_sink) becomes the payload of
// one encrypted datagram of the connection layer, which puts it in a datagram_sink. One for each side.
#include <cstdint>
#include <span>

#include "wire/udp/client_protocol.hpp"
#include "wire/udp/message_endpoint.hpp"
#include "wire/udp/server_protocol.hpp"

namespace guildhall::wire::udp {

class client_payload_sink final : public packet_sink {
 public:
  client_payload_sink(client_protocol& protocol, std::uint64_t now_ms, datagram_sink& out)
      : protocol_(protocol), now_ms_(now_ms), out_(out) {}
  void packet(std::span<const std::uint8_t> bytes) override { protocol_.send_payload(bytes, now_ms_, out_); }
  std::optional<std::uint64_t> next_sequence() const override { return protocol_.next_payload_sequence(); }

 private:
  client_protocol& protocol_;
  std::uint64_t now_ms_;
  datagram_sink& out_;
};

// `unix_now_ms`: the connection layer's clock on the server is Unix time (tokens expire in it).
class server_payload_sink final : public packet_sink {
 public:
  server_payload_sink(server_protocol& protocol, client_handle client, std::uint64_t unix_now_ms, datagram_sink& out)
      : protocol_(protocol), client_(client), unix_now_ms_(unix_now_ms), out_(out) {}
  void packet(std::span<const std::uint8_t> bytes) override {
    protocol_.send_payload(client_, bytes, unix_now_ms_, out_);
  }
  std::optional<std::uint64_t> next_sequence() const override { return protocol_.next_payload_sequence(client_); }

 private:
  server_protocol& protocol_;
  client_handle client_;
  std::uint64_t unix_now_ms_;
  datagram_sink& out_;
};

}  // namespace guildhall::wire::udp
