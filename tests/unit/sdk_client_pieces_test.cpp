// The C++ SDK's sans-I/O pieces (src/client/sdk/): the room schema read back from JSON, the snapshot intake's
// baselines and acks, the transport preference's URL, and how connection endings become public errors.
#include <gtest/gtest.h>

#include <vector>

#include "client/sdk/convert.hpp"
#include "client/sdk/schema_from_json.hpp"
#include "client/sdk/session_setup.hpp"
#include "client/sdk/snapshot_intake.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/schema_json.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace {

using namespace guildhall;
using namespace guildhall::client;
namespace snapshot = guildhall::wire::snapshot;
using bytes = std::vector<std::uint8_t>;

world_schema small_schema() {
  world_schema schema;
  schema.types.push_back({"player",
                          {field_spec::fixed("x", 0, 100, 0.01), field_spec::fixed("y", -50, 50, 0.25),
                           field_spec::turn("aim", 10), field_spec::whole("health", 0, 100),
                           field_spec::flag("alive")}});
  schema.types.push_back({"shot", {field_spec::fixed("x", 0, 100, 0.01)}});
  return schema;
}

snapshot::entity_set world_at(const world_schema& schema, double x) {
  snapshot::entity_set world;
  const auto& player = schema.types[0].fields;
  const std::vector<std::uint32_t> fields{snapshot::quantize(player[0], x), snapshot::quantize(player[1], -x / 4),
                                          snapshot::quantize(player[2], 1.0), snapshot::quantize(player[3], 90),
                                          snapshot::quantize(player[4], 1)};
  world.add(7, 0, fields);
  const std::vector<std::uint32_t> shot{snapshot::quantize(schema.types[1].fields[0], x + 1)};
  world.add(9, 1, shot);
  return world;
}

bytes delta(const world_schema& schema, const snapshot::entity_set& from, const snapshot::entity_set& to) {
  bytes out;
  snapshot::encode_delta(schema, from, to, out);
  return out;
}

TEST(SdkSchemaFromJson, ReadsBackWhatTheServerWrites) {
  const auto schema = small_schema();
  const auto parsed = sdk::schema_from_json(snapshot::schema_to_json(schema));
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->types.size(), 2u);
  for (std::size_t t = 0; t < schema.types.size(); ++t) {
    EXPECT_EQ(parsed->types[t].name, schema.types[t].name);
    ASSERT_EQ(parsed->types[t].fields.size(), schema.types[t].fields.size());
    for (std::size_t f = 0; f < schema.types[t].fields.size(); ++f) {
      const auto& want = schema.types[t].fields[f];
      const auto& got = parsed->types[t].fields[f];
      EXPECT_EQ(got.name, want.name);
      EXPECT_EQ(got.type, want.type);
      EXPECT_EQ(got.min, want.min);  // exact: a client must quantize exactly as the server
      EXPECT_EQ(got.max, want.max);
      EXPECT_EQ(got.step, want.step);
      EXPECT_EQ(got.bits, want.bits);
    }
  }
}

TEST(SdkSchemaFromJson, RefusesHostileSchemas) {
  EXPECT_FALSE(sdk::schema_from_json("not json"));
  EXPECT_FALSE(sdk::schema_from_json("{}"));
  EXPECT_FALSE(sdk::schema_from_json(R"({"types":[{"name":"a","fields":[{"name":"x"}]}]})"));
  EXPECT_FALSE(sdk::schema_from_json(
      R"({"types":[{"name":"a","fields":[{"name":"x","kind":"real","min":0,"max":1,"step":0.1,"bits":64}]}]})"));
  EXPECT_FALSE(sdk::schema_from_json(
      R"({"types":[{"name":"a","fields":[{"name":"x","kind":"teleport","min":0,"max":1,"step":0.1,"bits":4}]}]})"));
  EXPECT_FALSE(sdk::schema_from_json(std::string(sdk::kMaxSchemaJsonBytes + 1, ' ')));
}

TEST(SdkSnapshotIntake, DecodesFullThenDeltasAgainstTheAcknowledgedTick) {
  const auto schema = small_schema();
  sdk::snapshot_intake intake;
  intake.reset(schema);
  const auto first = world_at(schema, 10);
  const auto full = delta(schema, {}, first);
  auto decoded = intake.decode(100, 0, full);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(**decoded, first);
  EXPECT_EQ(intake.newest_tick(), 100u);

  const auto second = world_at(schema, 12.5);
  decoded = intake.decode(101, 100, delta(schema, first, second));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(**decoded, second);
  EXPECT_EQ(intake.newest_tick(), 101u);

  // A snapshot lost on the way: the next is still against an acknowledged one (100), and decodes.
  const auto fourth = world_at(schema, 20);
  decoded = intake.decode(103, 100, delta(schema, first, fourth));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(**decoded, fourth);
}

TEST(SdkSnapshotIntake, RefusesStaleTicksMissingBaselinesAndGarbage) {
  const auto schema = small_schema();
  sdk::snapshot_intake intake;
  intake.reset(schema);
  const auto first = world_at(schema, 10);
  ASSERT_TRUE(intake.decode(50, 0, delta(schema, {}, first)));
  EXPECT_FALSE(intake.decode(50, 0, delta(schema, {}, first)));  // not newer: latest-wins
  EXPECT_FALSE(intake.decode(60, 55, delta(schema, first, first)));  // a baseline never received
  const bytes garbage{0xff, 0xff, 0xff};
  EXPECT_FALSE(intake.decode(61, 50, garbage));
  EXPECT_EQ(intake.newest_tick(), 50u);  // failures acknowledge nothing new
}

TEST(SdkSnapshotIntake, KeepsABoundedNumberOfBaselines) {
  const auto schema = small_schema();
  sdk::snapshot_intake intake;
  intake.reset(schema);
  const auto world = world_at(schema, 1);
  ASSERT_TRUE(intake.decode(1, 0, delta(schema, {}, world)));
  for (std::uint32_t tick = 2; tick <= sdk::kKeptSnapshots + 5; ++tick) {
    ASSERT_TRUE(intake.decode(tick, tick - 1, delta(schema, world, world)));
  }
  // Tick 1 fell out of the window; the newest are still there.
  EXPECT_FALSE(intake.decode(100, 1, delta(schema, world, world)));
  EXPECT_TRUE(intake.decode(101, sdk::kKeptSnapshots + 5, delta(schema, world, world)));
  // A rejoin starts over from a full snapshot.
  intake.reset(schema);
  EXPECT_EQ(intake.newest_tick(), 0u);
  EXPECT_FALSE(intake.decode(102, 101, delta(schema, world, world)));
}

TEST(SdkSessionSetup, TransportPreferenceChoosesTheScheme) {
  client_options options{.server_url = "ws://example.org:9800/ws"};
  options.transport = transport_preference::tcp;
  auto url = make_server_url(options);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->kind, server_url::scheme::tcp);
  EXPECT_EQ(url->port, 9801);
  EXPECT_EQ(url->http_port, 9800);

  options.server_url = "tcp://example.org:9801";
  options.transport = transport_preference::websocket;
  url = make_server_url(options);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->kind, server_url::scheme::websocket);
  EXPECT_EQ(url->port, 9800);

  // automatic and udp: UDP, the connect token from the same HTTP port; only automatic may fall back.
  options.server_url = "ws://example.org:9800/ws";
  for (auto preference : {transport_preference::automatic, transport_preference::udp}) {
    options.transport = preference;
    url = make_server_url(options);
    ASSERT_TRUE(url);
    EXPECT_EQ(url->kind, server_url::scheme::udp);
    EXPECT_EQ(url->http_port, 9800);
    EXPECT_EQ(make_session_options(options).udp_fallback, preference == transport_preference::automatic);
  }
  options.server_url = "gopher://x";
  EXPECT_EQ(make_server_url(options).error().code, client_errc::invalid_options);
}

TEST(SdkSessionSetup, OptionsReachTheSession) {
  client_options options;
  options.request_timeout_ms = 1234;
  options.reconnection.enabled = false;
  const auto session = make_session_options(options);
  EXPECT_EQ(session.connection.request_timeout_ms, 1234u);
  EXPECT_EQ(session.reconnect.max_attempts, 0u);
  EXPECT_TRUE(validate(options));
  options.dead_after_ms = options.ping_interval_ms;
  EXPECT_FALSE(validate(options));
}

TEST(SdkErrors, ConnectionEndingsBecomePublicCodes) {
  using sdk::connection_error_from;
  EXPECT_EQ(connection_error_from("closed by the server: 3001 shutting down", 3001).code, client_errc::server_gone);
  EXPECT_EQ(connection_error_from("x", 3001).close_code, std::optional<std::uint16_t>(3001));
  EXPECT_EQ(connection_error_from("kicked", 2001).code, client_errc::kicked);
  EXPECT_EQ(connection_error_from("flooding", 4005).code, client_errc::protocol_violation);
  EXPECT_EQ(connection_error_from("idle", 4001).code, client_errc::timed_out);
  EXPECT_EQ(connection_error_from("connecting to 127.0.0.1:9 failed: Connection refused", std::nullopt).code,
            client_errc::connection_refused);
  EXPECT_EQ(connection_error_from("WebSocket handshake timed out after 1 s", std::nullopt).code,
            client_errc::timed_out);
  EXPECT_EQ(connection_error_from("nothing heard from 127.0.0.1:1 for 45 s", std::nullopt).code,
            client_errc::timed_out);
  EXPECT_EQ(connection_error_from("write failed: Broken pipe", std::nullopt).code, client_errc::network_error);

  wire::v1::Error refused;
  refused.set_code(wire::v1::ROOM_FULL);
  refused.set_message("full");
  EXPECT_EQ(sdk::error_from(refused).code, client_errc::room_full);
  EXPECT_EQ(to_string(client_errc::server_gone), "server_gone");
}

}  // namespace

// poll()'s own acknowledgements (ack_schedule): none while inputs carry them, about one a tick period otherwise.
TEST(SdkAckSchedule, AnInputEveryTickLeavesPollNothingToAcknowledge) {
  using namespace std::chrono_literals;
  sdk::ack_schedule acks;
  acks.reset(20);  // 50 ms a tick
  auto now = sdk::ack_schedule::clock::time_point{} + 1s;
  for (int tick = 0; tick < 20; ++tick) {
    // A snapshot is decoded; the game polls every 2 ms and sends its input 48 ms later, carrying the ack.
    for (int ms = 0; ms < 48; ms += 2) EXPECT_FALSE(acks.due(true, now + std::chrono::milliseconds(ms))) << tick;
    acks.acknowledged();
    EXPECT_FALSE(acks.due(false, now + 49ms));
    now += 50ms;
  }
}

TEST(SdkAckSchedule, ASpectatorAcknowledgesOnceATickPeriod) {
  using namespace std::chrono_literals;
  sdk::ack_schedule acks;
  acks.reset(20);
  const auto start = sdk::ack_schedule::clock::time_point{} + 1s;
  int sent = 0;
  for (int ms = 0; ms < 1000; ms += 2) sent += acks.due(true, start + std::chrono::milliseconds(ms)) ? 1 : 0;
  EXPECT_EQ(sent, 19);  // at 50, 100, ... 950 ms: the first after a whole period of waiting
  acks.reset(0);        // unknown rate: about 30 Hz
  int unknown = 0;
  for (int ms = 0; ms < 1000; ms += 1) unknown += acks.due(true, start + std::chrono::milliseconds(ms)) ? 1 : 0;
  EXPECT_GE(unknown, 28);
  EXPECT_LE(unknown, 31);
}

TEST(SdkAckSchedule, NothingWaitingIsNothingDue) {
  using namespace std::chrono_literals;
  sdk::ack_schedule acks;
  acks.reset(20);
  const auto start = sdk::ack_schedule::clock::time_point{} + 1s;
  EXPECT_FALSE(acks.due(false, start));
  EXPECT_FALSE(acks.due(false, start + 10s));
  EXPECT_FALSE(acks.due(true, start + 10s));  // waiting starts now, not at the last call
  EXPECT_TRUE(acks.due(true, start + 10s + 50ms));
}
