// The UDP connection layer end to end (src/wire/udp/client_protocol, server_protocol): client and server state
// machines talk through an in-memory wire (udp_test_wire.hpp) with a hand-moved clock. Covers the handshake,
// payloads both ways, keep-alives, time-outs, both kinds of disconnect, denial when full, fail-over to the next
// address, and the attacks: replayed requests and packets, spoofed sources, forged and foreign tokens. Every reply
// the server makes before a handshake completes is checked to be no larger than what caused it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "udp_test_wire.hpp"
#include "wire/udp/packet_codec.hpp"

namespace {

using namespace guildhall::wire::udp;
using namespace guildhall::wire::udp::testing;

// Runs until every client is connected or `limit_ms` passes.
void connect_all(udp_test_wire& wire, std::uint64_t limit_ms = 2000) {
  for (std::uint64_t t = 0; t < limit_ms; t += 10) {
    bool all = true;
    for (auto& c : wire.clients) all = all && c->protocol.state() == client_state::connected;
    if (all) return;
    wire.now_ms += 10;
    wire.step();
  }
}

TEST(UdpProtocol, HandshakeConnectsAndReportsTheIdentity) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  EXPECT_EQ(client.protocol.state(), client_state::sending_request);
  connect_all(wire);
  ASSERT_EQ(client.protocol.state(), client_state::connected);
  ASSERT_EQ(wire.events.connected.size(), 1u);
  EXPECT_EQ(wire.events.connected[0].from, client.address);
  EXPECT_EQ(wire.events.connected[0].identity, (token_identity{42, "player42", 4200}));
  EXPECT_EQ(wire.server.client_count(), 1u);
  EXPECT_EQ(wire.server.pending_count(), 0u);
  EXPECT_EQ(client.protocol.client_index(), 0u);
  EXPECT_EQ(client.protocol.max_clients(), 4u);
  EXPECT_EQ(*client.protocol.server_address(), wire.server_address());
}

TEST(UdpProtocol, PayloadsTravelBothWays) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  ASSERT_EQ(client.protocol.state(), client_state::connected);
  const auto handle = wire.events.connected[0].handle;

  recording_sink up;
  const bytes hello{1, 2, 3};
  const auto hello_sequence = client.protocol.next_payload_sequence();
  ASSERT_TRUE(hello_sequence);
  ASSERT_TRUE(client.protocol.send_payload(hello, wire.now_ms, up));
  const bytes largest(kMaxPayloadBytes, 0xab);
  ASSERT_TRUE(client.protocol.send_payload(largest, wire.now_ms, up));
  EXPECT_EQ(up.sent[1].data.size(), kMaxDatagramBytes - (kMaxSequenceBytes - 1));  // one sequence byte
  for (auto& d : up.sent) wire.to_server(client.address, d.data);
  ASSERT_EQ(wire.events.payloads.size(), 2u);
  EXPECT_EQ(wire.events.payloads[0].first, handle);
  EXPECT_EQ(wire.events.payloads[0].second, hello);
  EXPECT_EQ(wire.events.payloads[1].second, largest);
  // The message layer numbers its packets with these (endpoint_config::sequence_from_transport).
  EXPECT_EQ(wire.events.sequences, (std::vector<std::uint64_t>{*hello_sequence, *hello_sequence + 1}));

  recording_sink down;
  const bytes world{9, 8, 7, 6};
  const auto world_sequence = wire.server.next_payload_sequence(handle);
  ASSERT_TRUE(world_sequence);
  ASSERT_TRUE(wire.server.send_payload(handle, world, wire.now_ms, down));
  wire.deliver(down.sent);
  ASSERT_EQ(client.events.payloads.size(), 1u);
  EXPECT_EQ(client.events.payloads[0], world);
  EXPECT_EQ(client.events.sequences, (std::vector<std::uint64_t>{*world_sequence}));
  EXPECT_EQ(wire.server.next_payload_sequence(handle), *world_sequence + 1);

  EXPECT_FALSE(client.protocol.send_payload(bytes{}, wire.now_ms, up));
  EXPECT_FALSE(client.protocol.send_payload(bytes(kMaxPayloadBytes + 1), wire.now_ms, up));
  EXPECT_FALSE(wire.server.send_payload(handle, bytes(kMaxPayloadBytes + 1), wire.now_ms, down));
}

TEST(UdpProtocol, KeepAlivesHoldAnIdleConnectionAtTenHertz) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  ASSERT_EQ(client.protocol.state(), client_state::connected);
  wire.up_count = wire.down_count = 0;
  wire.run(30'000);  // three times the timeout, nothing but keep-alives
  EXPECT_EQ(client.protocol.state(), client_state::connected);
  EXPECT_EQ(wire.server.client_count(), 1u);
  EXPECT_TRUE(wire.events.disconnected.empty());
  EXPECT_NEAR(static_cast<double>(wire.up_count), 300.0, 3.0);
  EXPECT_NEAR(static_cast<double>(wire.down_count), 300.0, 3.0);
}

TEST(UdpProtocol, ServerSendsNoKeepAliveWhilePayloadsFlow) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  wire.run(200);  // the client's keep-alives confirm it
  const auto handle = wire.events.connected[0].handle;
  for (int i = 0; i < 20; ++i) {
    wire.now_ms += 50;
    recording_sink sink;
    ASSERT_TRUE(wire.server.send_payload(handle, bytes{1}, wire.now_ms, sink));
    EXPECT_EQ(sink.sent.size(), 1u) << "a confirmed client's payload needs no keep-alive before it";
    wire.server.update(wire.now_ms, sink);
    EXPECT_EQ(sink.sent.size(), 1u) << "no keep-alive while payloads go out every 50 ms";
  }
}

TEST(UdpProtocol, SilenceTimesOutBothSides) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42, {}, 30, 5), wire.now_ms);
  connect_all(wire);
  ASSERT_EQ(client.protocol.state(), client_state::connected);
  wire.run(4'900, /*drop_up=*/true, /*drop_down=*/true);
  EXPECT_EQ(client.protocol.state(), client_state::connected);
  EXPECT_TRUE(wire.events.disconnected.empty());
  wire.run(200, true, true);
  EXPECT_EQ(client.protocol.state(), client_state::timed_out);
  ASSERT_EQ(wire.events.disconnected.size(), 1u);
  EXPECT_EQ(wire.events.disconnected[0].second, disconnect_reason::timed_out);
  EXPECT_EQ(wire.server.client_count(), 0u);
  EXPECT_EQ(wire.server.disconnects(disconnect_reason::timed_out), 1u);
}

TEST(UdpProtocol, ClientDisconnectReachesTheServerOnce) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  const auto handle = wire.events.connected[0].handle;
  recording_sink sink;
  client.protocol.disconnect(sink);
  EXPECT_EQ(client.protocol.state(), client_state::disconnected);
  ASSERT_EQ(sink.sent.size(), static_cast<std::size_t>(kDisconnectPackets));
  for (auto& d : sink.sent) EXPECT_TRUE(wire.to_server(client.address, d.data).empty());
  ASSERT_EQ(wire.events.disconnected.size(), 1u);
  EXPECT_EQ(wire.events.disconnected[0], std::make_pair(handle, disconnect_reason::client_left));
  EXPECT_EQ(wire.server.drops(packet_error::unknown_address), kDisconnectPackets - 1u);
  recording_sink after;
  EXPECT_FALSE(wire.server.send_payload(handle, bytes{1}, wire.now_ms, after)) << "the handle is stale";
  EXPECT_FALSE(wire.server.address_of(handle));
}

TEST(UdpProtocol, ServerDisconnectReachesTheClient) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  const auto handle = wire.events.connected[0].handle;
  recording_sink sink;
  wire.server.disconnect(handle, sink);
  EXPECT_EQ(sink.sent.size(), static_cast<std::size_t>(kDisconnectPackets));
  ASSERT_EQ(wire.events.disconnected.size(), 1u);
  EXPECT_EQ(wire.events.disconnected[0].second, disconnect_reason::server_closed);
  wire.deliver(sink.sent);
  EXPECT_EQ(client.protocol.state(), client_state::disconnected);
  EXPECT_EQ(wire.server.client_count(), 0u);
}

TEST(UdpProtocol, AFullServerDeniesAndTheClientSaysSo) {
  auto config = udp_test_wire::default_config();
  config.max_clients = 1;
  udp_test_wire wire(config);
  auto& first = wire.add_client(7);
  first.protocol.connect(wire.token(1), wire.now_ms);
  connect_all(wire);
  ASSERT_EQ(first.protocol.state(), client_state::connected);
  auto& second = wire.add_client(8);
  second.protocol.connect(wire.token(2), wire.now_ms);
  wire.run(500);
  EXPECT_EQ(second.protocol.state(), client_state::denied);
  EXPECT_GE(wire.server.denied_count(), 1u);
  EXPECT_EQ(wire.server.client_count(), 1u);
  EXPECT_EQ(first.protocol.state(), client_state::connected);
}

TEST(UdpProtocol, AReplayedRequestFromAnotherAddressGetsNothing) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  recording_sink sink;
  client.protocol.update(wire.now_ms, sink);
  ASSERT_EQ(sink.sent.size(), 1u);
  const bytes request = sink.sent[0].data;
  ASSERT_EQ(request.size(), kConnectionRequestBytes);
  EXPECT_EQ(wire.to_server(client.address, request).size(), 1u);  // the challenge
  EXPECT_TRUE(wire.to_server(v4(66, 4444), request).empty());
  EXPECT_EQ(wire.server.drops(packet_error::token_in_use), 1u);
  EXPECT_EQ(wire.server.pending_count(), 1u);
  // The rightful client still gets in, and once it has, the replay is refused for that reason too.
  connect_all(wire);
  EXPECT_EQ(client.protocol.state(), client_state::connected);
  EXPECT_TRUE(wire.to_server(v4(66, 4444), request).empty());
  EXPECT_TRUE(wire.to_server(client.address, request).empty());
  EXPECT_EQ(wire.server.drops(packet_error::already_connected), 2u);  // same client id / same address
}

TEST(UdpProtocol, SpoofedAndReplayedPacketsAreDroppedAndCounted) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  connect_all(wire);
  recording_sink sink;
  ASSERT_TRUE(client.protocol.send_payload(bytes{5, 5}, wire.now_ms, sink));
  const bytes payload = sink.sent[0].data;
  // From an address with no connection: one map lookup, nothing answered.
  EXPECT_TRUE(wire.to_server(v4(99, 1), payload).empty());
  EXPECT_EQ(wire.server.drops(packet_error::unknown_address), 1u);
  EXPECT_TRUE(wire.events.payloads.empty());
  // From the right address, twice: delivered once.
  EXPECT_TRUE(wire.to_server(client.address, payload).empty());
  EXPECT_TRUE(wire.to_server(client.address, payload).empty());
  EXPECT_EQ(wire.events.payloads.size(), 1u);
  EXPECT_EQ(wire.server.drops(packet_error::replayed), 1u);
  // A flipped byte fails authentication.
  bytes forged = payload;
  forged.back() ^= 1;
  forged[1] += 1;  // a fresh sequence, so the replay check passes and decryption is what refuses it
  EXPECT_TRUE(wire.to_server(client.address, forged).empty());
  EXPECT_EQ(wire.server.drops(packet_error::decrypt_failed), 1u);
  // Garbage of every small size.
  for (std::size_t n = 0; n < 40; ++n) EXPECT_TRUE(wire.to_server(v4(99, 2), bytes(n, 0x55)).empty());
  EXPECT_EQ(wire.server.client_count(), 1u);
}

TEST(UdpProtocol, RequestsWithBadTokensAreRefusedSilently) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto send_request = [&](const issued_connect_token& token, std::uint8_t octet) {
    auto& client = wire.add_client(octet);
    client.protocol.connect(token, wire.now_ms);
    recording_sink sink;
    client.protocol.update(wire.now_ms, sink);
    return wire.to_server(client.address, sink.sent.at(0).data);
  };
  EXPECT_TRUE(send_request(wire.token(1, {v4(2, 9702)}), 10).empty());
  EXPECT_EQ(wire.server.drops(packet_error::address_not_listed), 1u);
  EXPECT_TRUE(send_request(wire.token(2, {}, 30, 10, kProtocolId + 1), 11).empty());
  EXPECT_EQ(wire.server.drops(packet_error::wrong_protocol_id), 1u);

  auto foreign = wire.token(3);
  connect_token_private claims;
  claims.client_id = 3;
  claims.server_addresses = {wire.server_address()};
  foreign = *issue_connect_token(claims, kProtocolId, wire.now_ms / 1000, 30, fixed_key(99));
  EXPECT_TRUE(send_request(foreign, 12).empty());
  EXPECT_EQ(wire.server.drops(packet_error::token_decrypt_failed), 1u);

  auto expiring = wire.token(4, {}, 5);
  wire.now_ms += 5'000;
  EXPECT_TRUE(send_request(expiring, 13).empty());
  EXPECT_EQ(wire.server.drops(packet_error::token_expired), 1u);

  connect_token_private anonymous;  // user data that is not a packed identity
  anonymous.client_id = 5;
  anonymous.server_addresses = {wire.server_address()};
  anonymous.user_data.fill(0xff);
  EXPECT_TRUE(send_request(*issue_connect_token(anonymous, kProtocolId, wire.now_ms / 1000, 30, fixed_key(1)), 14)
                  .empty());
  EXPECT_EQ(wire.server.drops(packet_error::bad_user_data), 1u);
  EXPECT_EQ(wire.server.pending_count(), 0u);
  EXPECT_EQ(wire.server.token_entry_count(), 0u);
}

TEST(UdpProtocol, TheClientTriesTheNextAddressAfterATimeOut) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42, {v4(200, 9702), wire.server_address()}, 60, 2), wire.now_ms);
  wire.run(1'000);
  EXPECT_EQ(client.protocol.state(), client_state::sending_request);
  EXPECT_EQ(*client.protocol.server_address(), v4(200, 9702));
  connect_all(wire, 3'000);
  EXPECT_EQ(client.protocol.state(), client_state::connected);
  EXPECT_EQ(*client.protocol.server_address(), wire.server_address());
}

TEST(UdpProtocol, TheClientGivesUpWhenNoServerAnswers) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42, {v4(200, 9702)}, 60, 2), wire.now_ms);
  wire.run(2'100);
  EXPECT_EQ(client.protocol.state(), client_state::request_timed_out);

  auto& late = wire.add_client(8);
  late.protocol.connect(wire.token(43, {v4(200, 9702)}, 1, 5), wire.now_ms);
  wire.run(1'100);
  EXPECT_EQ(late.protocol.state(), client_state::token_expired);

  auto bad = wire.token(44);
  bad.server_addresses.clear();
  auto& invalid = wire.add_client(9);
  invalid.protocol.connect(bad, wire.now_ms);
  EXPECT_EQ(invalid.protocol.state(), client_state::invalid_token);
  EXPECT_FALSE(invalid.protocol.server_address());
}

TEST(UdpProtocol, ResponseTimesOutWhenTheServerGoesQuietAfterTheChallenge) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42, {}, 60, 2), wire.now_ms);
  wire.run(10);  // the request and its challenge
  ASSERT_EQ(client.protocol.state(), client_state::sending_response);
  wire.run(2'100, /*drop_up=*/true);
  EXPECT_EQ(client.protocol.state(), client_state::response_timed_out);
  wire.run(10'000);
  EXPECT_EQ(wire.server.pending_count(), 0u) << "the handshake entry expires after the token's timeout";
}

TEST(UdpProtocol, PendingHandshakesAreCapped) {
  auto config = udp_test_wire::default_config();
  config.max_pending = 1;
  udp_test_wire wire(config);
  auto& a = wire.add_client(7);
  auto& b = wire.add_client(8);
  a.protocol.connect(wire.token(1), wire.now_ms);
  b.protocol.connect(wire.token(2), wire.now_ms);
  wire.run(10);
  EXPECT_EQ(wire.server.pending_count(), 1u);
  EXPECT_EQ(wire.server.drops(packet_error::pending_table_full), 1u);
  connect_all(wire);  // once a's handshake completes, b's gets the room
  EXPECT_EQ(a.protocol.state(), client_state::connected);
  EXPECT_EQ(b.protocol.state(), client_state::connected);
}

TEST(UdpProtocol, UsedTokensAreCappedOldestFirst) {
  auto config = udp_test_wire::default_config();
  config.max_token_entries = 2;
  udp_test_wire wire(config);
  std::vector<bytes> requests;
  for (std::uint64_t user = 1; user <= 3; ++user) {
    auto& client = wire.add_client(static_cast<std::uint8_t>(user));
    client.protocol.connect(wire.token(user), wire.now_ms);
    recording_sink sink;
    client.protocol.update(wire.now_ms, sink);
    EXPECT_EQ(wire.to_server(client.address, sink.sent[0].data).size(), 1u);
    requests.push_back(sink.sent[0].data);
  }
  EXPECT_EQ(wire.server.token_entry_count(), 2u);
  EXPECT_TRUE(wire.to_server(v4(50, 1), requests[2]).empty()) << "the newest is remembered";
  EXPECT_EQ(wire.server.drops(packet_error::token_in_use), 1u);
  wire.now_ms += 31'000;
  recording_sink sink;
  wire.server.update(wire.now_ms, sink);
  EXPECT_EQ(wire.server.token_entry_count(), 0u) << "expired tokens are forgotten";
}

TEST(UdpProtocol, AReconnectWithTheSameTokenNeverRepeatsAServerSequence) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto token = wire.token(42);
  auto& client = wire.add_client(7);
  client.protocol.connect(token, wire.now_ms);
  connect_all(wire);
  recording_sink sink;
  wire.server.disconnect(wire.events.connected[0].handle, sink);
  const auto last = peek_packet_header(sink.sent.back().data)->sequence;

  client_protocol again;
  again.connect(token, wire.now_ms);
  recording_sink request;
  again.update(wire.now_ms, request);
  auto replies = wire.to_server(client.address, request.sent[0].data);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_GT(peek_packet_header(replies[0].data)->sequence, last);
}

TEST(UdpProtocol, ManyClientsConnectAndAStaleHandleIsRefused) {
  auto config = udp_test_wire::default_config();
  config.max_clients = 8;
  udp_test_wire wire(config);
  for (std::uint8_t i = 0; i < 8; ++i) wire.add_client(static_cast<std::uint8_t>(20 + i)).protocol.connect(
      wire.token(100 + i), wire.now_ms);
  connect_all(wire);
  EXPECT_EQ(wire.server.client_count(), 8u);
  const auto first = wire.events.connected[0].handle;
  recording_sink sink;
  wire.clients[0]->protocol.disconnect(sink);
  for (auto& d : sink.sent) wire.to_server(wire.clients[0]->address, d.data);
  auto& newcomer = wire.add_client(99);
  newcomer.protocol.connect(wire.token(500), wire.now_ms);
  connect_all(wire);
  ASSERT_EQ(newcomer.protocol.state(), client_state::connected);
  const auto reused = wire.events.connected.back().handle;
  EXPECT_EQ(reused.slot, first.slot);
  EXPECT_NE(reused.generation, first.generation);
  EXPECT_FALSE(wire.server.send_payload(first, bytes{1}, wire.now_ms, sink));
  EXPECT_TRUE(wire.server.send_payload(reused, bytes{1}, wire.now_ms, sink));
}

TEST(UdpProtocol, ALostFirstKeepAliveIsMadeGoodByThePayloadThatFollows) {
  udp_test_wire wire(udp_test_wire::default_config());
  auto& client = wire.add_client(7);
  client.protocol.connect(wire.token(42), wire.now_ms);
  wire.run(10);  // request, challenge
  ASSERT_EQ(client.protocol.state(), client_state::sending_response);
  recording_sink response;
  client.protocol.update(wire.now_ms, response);
  ASSERT_EQ(response.sent.size(), 1u);
  ASSERT_EQ(wire.to_server(client.address, response.sent[0].data).size(), 1u);  // the keep-alive, lost here
  ASSERT_EQ(wire.events.connected.size(), 1u);
  recording_sink down;
  // The keep-alive takes a sequence first: the one announced is the payload's.
  const auto announced = wire.server.next_payload_sequence(wire.events.connected[0].handle);
  ASSERT_TRUE(wire.server.send_payload(wire.events.connected[0].handle, bytes{4, 2}, wire.now_ms, down));
  ASSERT_EQ(down.sent.size(), 2u) << "an unconfirmed client's payload follows a keep-alive";
  wire.deliver(down.sent);
  EXPECT_EQ(client.protocol.state(), client_state::connected);
  ASSERT_EQ(client.events.payloads.size(), 1u);
  EXPECT_EQ(client.events.payloads[0], (bytes{4, 2}));
  EXPECT_EQ(client.events.sequences, (std::vector<std::uint64_t>{*announced}));
}

TEST(UdpProtocol, HandshakeAndPayloadsSurviveLossDuplicationAndReordering) {
  udp_test_wire wire(udp_test_wire::default_config());
  std::mt19937 random(20261201);
  std::vector<std::pair<bool, datagram>> in_flight;  // (towards the server, datagram)
  auto impair = [&](bool up, std::vector<datagram> sent, const peer_address& from) {
    for (auto& d : sent) {
      if (random() % 100 < 30) continue;  // lost
      if (up) d.to = from;                // remember the sender for the server
      if (random() % 100 < 10) in_flight.emplace_back(up, d);  // duplicated
      in_flight.emplace_back(up, std::move(d));
    }
  };
  for (std::uint8_t i = 0; i < 4; ++i) {
    wire.add_client(static_cast<std::uint8_t>(30 + i)).protocol.connect(wire.token(200 + i), wire.now_ms);
  }
  std::map<std::uint64_t, int> received;  // payload id -> times seen by the server
  std::uint64_t next_id = 0;
  for (int tick = 0; tick < 600; ++tick) {
    wire.now_ms += 10;
    for (auto& client : wire.clients) {
      recording_sink sink;
      client->protocol.update(wire.now_ms, sink);
      if (client->protocol.state() == client_state::connected) {
        const std::uint64_t id = next_id++;
        bytes payload(8);
        for (int b = 0; b < 8; ++b) payload[b] = static_cast<std::uint8_t>(id >> (8 * b));
        client->protocol.send_payload(payload, wire.now_ms, sink);
      }
      impair(true, std::move(sink.sent), client->address);
    }
    recording_sink server_sink;
    wire.server.update(wire.now_ms, server_sink);
    impair(false, std::move(server_sink.sent), {});
    std::shuffle(in_flight.begin(), in_flight.end(), random);
    auto batch = std::move(in_flight);
    in_flight.clear();
    for (auto& [up, d] : batch) {
      if (up) {
        impair(false, wire.to_server(d.to, d.data), {});
      } else {
        wire.deliver({d});
      }
    }
  }
  for (auto& client : wire.clients) EXPECT_EQ(client->protocol.state(), client_state::connected);
  EXPECT_EQ(wire.server.client_count(), 4u);
  for (const auto& [handle, payload] : wire.events.payloads) {
    std::uint64_t id = 0;
    for (int b = 0; b < 8; ++b) id |= std::uint64_t{payload[b]} << (8 * b);
    ++received[id];
  }
  EXPECT_GT(received.size(), next_id / 2) << "most payloads arrive";
  for (const auto& [id, times] : received) EXPECT_EQ(times, 1) << "payload " << id << " delivered twice";
  EXPECT_GT(wire.server.drops(packet_error::replayed), 0u) << "the duplicates were seen and refused";
}

TEST(UdpProtocol, ConfigValidation) {
  auto config = udp_test_wire::default_config();
  EXPECT_TRUE(config.validate());
  config.public_addresses.clear();
  EXPECT_FALSE(config.validate());
  config = udp_test_wire::default_config();
  config.max_clients = 0;
  EXPECT_FALSE(config.validate());
  recorded_server_events events;
  EXPECT_THROW(server_protocol(config, events), std::invalid_argument);
}

}  // namespace
