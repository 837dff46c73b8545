// Builds the seed corpora of the UDP fuzz targets (tests/fuzz/fuzz_udp_packet.cpp, fuzz_connect_token.cpp) from
// the shared fixture and checks that they reach deep: the server session seed connects a client and delivers its
// payload, the client seed connects the fuzzed client. With GUILDHALL_WRITE_FUZZ_SEEDS=1 in the environment it
// also writes them under tests/fuzz/corpus/ (run it after changing the fixture or the packet formats).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "../fuzz/udp_fuzz_fixture.hpp"
#include "udp_test_wire.hpp"
#include "wire/udp/challenge_token.hpp"
#include "wire/udp/client_protocol.hpp"
#include "wire/udp/packet_codec.hpp"

namespace {

using namespace udp_fuzz;
using bytes = std::vector<std::uint8_t>;

bytes request_for(const issued_connect_token& t) {
  bytes out(kMaxDatagramBytes);
  out.resize(*encode_connection_request({t.expire_timestamp, t.nonce, t.sealed_private}, kProtocolId, out));
  return out;
}

bytes packet(packet_type type, std::uint64_t sequence, std::span<const std::uint8_t> body, const key& k) {
  bytes out(kMaxDatagramBytes);
  out.resize(*encode_packet(type, sequence, body, kProtocolId, k, out));
  return out;
}

// The response the server expects from `user` after the server's `challenge_sequence`-th challenge.
bytes response_for(std::uint64_t user, std::uint64_t challenge_sequence, std::uint64_t sequence) {
  const auto t = token(user);
  const auto user_data = *pack_identity({user, "fuzz" + std::to_string(user), user + 1000});
  challenge_body body{challenge_sequence, seal_challenge_token({user, user_data}, challenge_sequence, fixed_key(2))};
  return packet(packet_type::connection_response, sequence, challenge_body_bytes(body), t.client_to_server_key);
}

std::map<std::string, bytes> packet_seeds() {
  std::map<std::string, bytes> seeds;
  const auto t1 = token(1);
  const auto up = t1.client_to_server_key;
  const bytes payload{'h', 'i'};
  bytes session;
  append_frame(session, 0, request_for(t1));
  append_frame(session, 0, response_for(1, 0, 0));
  append_frame(session, 0, packet(packet_type::keep_alive, 1, keep_alive_body_bytes({}), up));
  append_frame(session, 0, packet(packet_type::payload, 2, payload, up));
  append_frame(session, 0, packet(packet_type::payload, 2, payload, up));  // replayed
  append_frame(session, 1, packet(packet_type::payload, 3, payload, up));  // from another address
  append_frame(session, 1, request_for(t1));                              // the request replayed elsewhere
  append_frame(session, 0, packet(packet_type::disconnect, 4, {}, up));
  seeds["server_session"] = session;

  bytes full;  // max_clients is 2: the third is denied
  for (std::uint8_t who = 0; who < 3; ++who) {
    append_frame(full, who, request_for(token(who + 1)));
    append_frame(full, who, response_for(who + 1, who, 0));
  }
  seeds["server_full"] = full;

  bytes timeout;
  append_frame(timeout, 0, request_for(t1));
  append_frame(timeout, 0, response_for(1, 0, 0));
  append_frame(timeout, 0xfc, {});  // 6.3 s of silence, past the 5 s timeout
  append_frame(timeout, 0, packet(packet_type::keep_alive, 1, keep_alive_body_bytes({}), up));
  seeds["server_timeout"] = timeout;

  const auto tc = token(kClientUser);
  const auto down = tc.server_to_client_key;
  bytes client;
  append_frame(client, 3, packet(packet_type::connection_challenge, 0, challenge_body_bytes({7, {}}), down));
  append_frame(client, 3, packet(packet_type::keep_alive, 1, keep_alive_body_bytes({0, 2}), down));
  append_frame(client, 3, packet(packet_type::payload, 2, payload, down));
  append_frame(client, 3, packet(packet_type::disconnect, 3, {}, down));
  seeds["client_session"] = client;
  bytes denied;
  append_frame(denied, 3, packet(packet_type::connection_denied, 0, {}, down));
  seeds["client_denied"] = denied;

  bytes garbage;
  append_frame(garbage, 2, bytes(18, 0x15));
  append_frame(garbage, 2, bytes(1078, 0));
  append_frame(garbage, 3, bytes(40, 0x24));
  seeds["garbage"] = garbage;
  return seeds;
}

// The decoder-selecting byte, then the data. (Built whole: gcc 12 warns falsely on insert into a 1-byte vector.)
bytes with_mode(std::uint8_t mode, std::span<const std::uint8_t> data) {
  bytes out(1 + data.size());
  out[0] = mode;
  std::copy(data.begin(), data.end(), out.begin() + 1);
  return out;
}

std::map<std::string, bytes> token_seeds() {
  std::map<std::string, bytes> seeds;
  const auto t1 = token(1);
  seeds["sealed"] = with_mode(0, t1.sealed_private);

  connect_token_private claims;
  claims.client_id = 5;
  claims.timeout_seconds = kMaxTimeoutSeconds;
  for (std::uint8_t i = 0; i < kMaxServerAddresses; ++i) {
    claims.server_addresses.push_back(i % 2 ? *parse_peer_address("[2001:db8::1]:9702")
                                            : peer_address::ipv4({10, 0, 0, i}, 9702));
  }
  claims.user_data = *pack_identity({5, "Zoë", 6});
  std::array<std::uint8_t, kConnectTokenPlainBytes> plain{};
  (void)write_connect_token_private(claims, plain);
  seeds["plain_eight_addresses"] = with_mode(1, plain);

  seeds["identity_longest"] = with_mode(2, *pack_identity({1, std::string(kMaxUsernameBytes, 'x'), 2}));
  return seeds;
}

void maybe_write(const std::string& target, const std::map<std::string, bytes>& seeds) {
  const char* write = std::getenv("GUILDHALL_WRITE_FUZZ_SEEDS");
  if (!write || std::string(write) != "1") return;
  const auto folder = std::filesystem::path(GUILDHALL_SOURCE_DIR) / "tests/fuzz/corpus" / target;
  std::filesystem::create_directories(folder);
  for (const auto& [name, data] : seeds) {
    std::ofstream(folder / name, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                                        static_cast<std::streamsize>(data.size()));
  }
}

// Replays frames the way fuzz_udp_packet does, recording what happened.
struct replay_result {
  std::size_t connected = 0;
  std::size_t payloads = 0;
  std::vector<disconnect_reason> ends;
  std::uint64_t denied = 0;
  client_state client = client_state::disconnected;
  std::size_t client_payloads = 0;
};

replay_result replay(const bytes& input) {
  guildhall::wire::udp::testing::recorded_server_events events;
  server_protocol server(config(), events);
  client_protocol client;
  guildhall::wire::udp::testing::recorded_client_events client_events;
  std::uint64_t now = kStartMs;
  client.connect(token(kClientUser), now);
  guildhall::wire::udp::testing::recording_sink sink;
  std::span<const std::uint8_t> rest(input);
  while (rest.size() >= 3) {
    const std::size_t length = rest[1] | (std::size_t{rest[2]} << 8);
    const auto datagram = rest.subspan(3, length);
    now += 100 * (rest[0] >> 2);
    if ((rest[0] & 3) == 3) {
      client.receive(server_address(), datagram, now, client_events);
    } else {
      server.receive(sender(rest[0] & 3), datagram, now, sink);
    }
    server.update(now, sink);
    client.update(now, sink);
    rest = rest.subspan(3 + length);
  }
  replay_result result;
  result.connected = events.connected.size();
  result.payloads = events.payloads.size();
  for (auto& [handle, reason] : events.disconnected) result.ends.push_back(reason);
  result.denied = server.denied_count();
  result.client = client.state();
  result.client_payloads = client_events.payloads.size();
  return result;
}

TEST(UdpFuzzSeeds, ServerSessionSeedConnectsDeliversOnceAndLeaves) {
  auto seeds = packet_seeds();
  auto session = replay(seeds["server_session"]);
  EXPECT_EQ(session.connected, 1u);
  EXPECT_EQ(session.payloads, 1u);
  ASSERT_EQ(session.ends.size(), 1u);
  EXPECT_EQ(session.ends[0], disconnect_reason::client_left);

  auto full = replay(seeds["server_full"]);
  EXPECT_EQ(full.connected, 2u);
  EXPECT_EQ(full.denied, 1u);

  auto timeout = replay(seeds["server_timeout"]);
  EXPECT_EQ(timeout.connected, 1u);
  ASSERT_EQ(timeout.ends.size(), 1u);
  EXPECT_EQ(timeout.ends[0], disconnect_reason::timed_out);
}

TEST(UdpFuzzSeeds, ClientSeedsReachEveryClientState) {
  auto seeds = packet_seeds();
  auto session = replay(seeds["client_session"]);
  EXPECT_EQ(session.client_payloads, 1u);
  EXPECT_EQ(session.client, client_state::disconnected);
  EXPECT_EQ(replay(seeds["client_denied"]).client, client_state::denied);
  maybe_write("fuzz_udp_packet", seeds);
}

TEST(UdpFuzzSeeds, TokenSeedsDecode) {
  auto seeds = token_seeds();
  const auto& sealed = seeds["sealed"];
  EXPECT_TRUE(open_connect_token(std::span<const std::uint8_t, kConnectTokenPrivateBytes>(sealed.data() + 1,
                                                                                         kConnectTokenPrivateBytes),
                                 token(1).nonce, kProtocolId, kExpireS, fixed_key(1)));
  const auto& plain = seeds["plain_eight_addresses"];
  auto read = read_connect_token_private(
      std::span<const std::uint8_t, kConnectTokenPlainBytes>(plain.data() + 1, kConnectTokenPlainBytes));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->server_addresses.size(), kMaxServerAddresses);
  maybe_write("fuzz_connect_token", seeds);
}

}  // namespace
