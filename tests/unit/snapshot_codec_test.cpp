// The room snapshot codec (src/wire/snapshot/): quantization, bits, entity sets, and delta round trips including
// lost snapshots (gaps) and late ones (reordering), a seeded property test, sizes, and every decode error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <random>
#include <vector>

#include "wire/snapshot/bit_reader.hpp"
#include "wire/snapshot/bit_writer.hpp"
#include "wire/snapshot/entity_set.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/schema_json.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace {

using namespace guildhall;
using namespace guildhall::wire::snapshot;
using bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t player = 0;
constexpr std::uint8_t projectile = 1;
constexpr std::uint8_t marker = 2;  // a type without fields

// The arena's kind of world: players with position, aim, health and a flag; projectiles with a position.
world_schema arena_schema() {
  world_schema schema;
  schema.types.push_back({"player",
                          {field_spec::fixed("x", 0, 100, 0.01), field_spec::fixed("y", 0, 100, 0.01),
                           field_spec::turn("aim", 10), field_spec::whole("health", 0, 100),
                           field_spec::flag("alive")}});
  schema.types.push_back({"projectile", {field_spec::fixed("x", 0, 100, 0.01), field_spec::fixed("y", 0, 100, 0.01)}});
  schema.types.push_back({"marker", {}});
  return schema;
}

entity_set make_set(const std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>>& entities,
                    std::uint8_t type = player) {
  entity_set set;
  for (const auto& [id, values] : entities) EXPECT_TRUE(set.add(id, type, values));
  return set;
}

bytes encode(const world_schema& schema, const entity_set& baseline, const entity_set& target) {
  bytes out;
  const std::size_t appended = encode_delta(schema, baseline, target, out);
  EXPECT_EQ(appended, out.size());
  return out;
}

entity_set decode_ok(const world_schema& schema, const entity_set& baseline, const bytes& payload) {
  entity_set target;
  auto decoded = decode_delta(schema, baseline, payload, target);
  EXPECT_TRUE(decoded.has_value()) << to_string(decoded.error());
  return target;
}

snapshot_error decode_error(const world_schema& schema, const entity_set& baseline, const bytes& payload) {
  entity_set target;
  auto decoded = decode_delta(schema, baseline, payload, target);
  EXPECT_FALSE(decoded.has_value());
  return decoded ? snapshot_error{} : decoded.error();
}

void expect_round_trip(const world_schema& schema, const entity_set& baseline, const entity_set& target) {
  EXPECT_EQ(decode_ok(schema, baseline, encode(schema, baseline, target)), target);
}

// ---- Quantization -------------------------------------------------------------------------------------------

TEST(SnapshotQuantize, RealRoundTripsWithinHalfAStepAndClamps) {
  const auto x = field_spec::fixed("x", -50, 50, 0.01);
  EXPECT_EQ(x.bits, 14);
  EXPECT_EQ(max_quantized(x), 10000u);
  for (double v = -50; v <= 50; v += 0.37) EXPECT_NEAR(dequantize(x, quantize(x, v)), v, 0.005 + 1e-9);
  EXPECT_EQ(quantize(x, -1e9), 0u);
  EXPECT_EQ(quantize(x, 1e9), 10000u);
  EXPECT_EQ(quantize(x, 50), 10000u);
  EXPECT_EQ(dequantize(x, 10000), 50);
  EXPECT_EQ(dequantize(x, 0xffffffff), 50);  // above the top: clamped
  EXPECT_EQ(quantize(x, std::nan("")), 0u);
  EXPECT_EQ(quantize(x, -INFINITY), 0u);
}

TEST(SnapshotQuantize, RealWhoseRangeIsNotAWholeNumberOfStepsStillReachesMax) {
  const auto r = field_spec::fixed("r", 0, 1, 0.3);  // steps at 0, .3, .6, .9 and max 1
  EXPECT_EQ(max_quantized(r), 4u);
  EXPECT_EQ(quantize(r, 1), 4u);
  EXPECT_DOUBLE_EQ(dequantize(r, 4), 1);
  EXPECT_DOUBLE_EQ(dequantize(r, 3), 0.9);
  EXPECT_EQ(max_quantized(field_spec::fixed("t", 0, 0.3, 0.1)), 3u);  // 0.3 / 0.1 is 3.0000000000000004
}

TEST(SnapshotQuantize, IntegersRoundAndClamp) {
  const auto hp = field_spec::whole("hp", -10, 100);
  EXPECT_EQ(max_quantized(hp), 110u);
  EXPECT_EQ(quantize(hp, -10), 0u);
  EXPECT_EQ(quantize(hp, 7.4), 17u);
  EXPECT_EQ(quantize(hp, 7.5), 18u);
  EXPECT_EQ(quantize(hp, -1000), 0u);
  EXPECT_EQ(quantize(hp, 1000), 110u);
  EXPECT_EQ(dequantize(hp, 17), 7);
  for (int v = -10; v <= 100; ++v) EXPECT_EQ(dequantize(hp, quantize(hp, v)), v);
}

TEST(SnapshotQuantize, AnglesWrapIntoOneTurn) {
  const auto aim = field_spec::turn("aim", 8);
  constexpr double pi = std::numbers::pi;
  EXPECT_EQ(max_quantized(aim), 255u);
  EXPECT_EQ(quantize(aim, 0), 0u);
  EXPECT_EQ(quantize(aim, pi), 128u);
  EXPECT_EQ(quantize(aim, -pi / 2), 192u);
  EXPECT_EQ(quantize(aim, 2 * pi + pi / 2), 64u);
  EXPECT_EQ(quantize(aim, 2 * pi - 1e-9), 0u);  // rounds up to a full turn, which is 0
  EXPECT_EQ(quantize(aim, INFINITY), 0u);
  EXPECT_DOUBLE_EQ(dequantize(aim, 64), pi / 2);
  for (double a = -7; a < 7; a += 0.1) {
    const double back = dequantize(aim, quantize(aim, a));
    const double error = std::remainder(back - a, 2 * pi);
    EXPECT_LE(std::abs(error), pi / 256 + 1e-12);
  }
}

TEST(SnapshotQuantize, BooleansAndDegenerateSpecs) {
  const auto flag = field_spec::flag("on");
  EXPECT_EQ(quantize(flag, 0), 0u);
  EXPECT_EQ(quantize(flag, 1), 1u);
  EXPECT_EQ(quantize(flag, -3), 1u);
  EXPECT_EQ(dequantize(flag, 1), 1);
  EXPECT_EQ(dequantize(flag, 9), 1);
  field_spec broken{"b", field_spec::kind::real, 5, 1, 0, 40};  // max < min, step 0, 40 bits
  EXPECT_EQ(wire_bits(broken), 32u);
  EXPECT_EQ(max_quantized(broken), 0u);
  EXPECT_EQ(quantize(broken, 3), 0u);
  const auto narrow = field_spec{"n", field_spec::kind::integer, 0, 1000, 1, 4};  // bits too few for the range
  EXPECT_EQ(max_quantized(narrow), 15u);
  EXPECT_EQ(quantize(narrow, 999), 15u);
}

// ---- Bits ---------------------------------------------------------------------------------------------------

TEST(SnapshotBits, WritesLeastSignificantBitFirst) {
  bytes out{0xaa};  // what was there stays in front
  bit_writer writer(out);
  writer.write_bit(true);
  writer.write(0b101, 3);
  writer.write(0xff, 0);
  writer.write(0x1f, 4);  // only the low 4 bits
  writer.write(0b1, 2);
  EXPECT_EQ(writer.bits_written(), 10u);
  writer.flush();
  EXPECT_EQ(out, (bytes{0xaa, 0b1111'1011, 0b01}));
}

TEST(SnapshotBits, ReaderReturnsWhatWriterWroteForEveryWidth) {
  bytes out;
  bit_writer writer(out);
  std::mt19937 random(7);
  std::vector<std::pair<std::uint32_t, unsigned>> written;
  for (int i = 0; i < 2000; ++i) {
    const unsigned width = random() % 33;
    const std::uint32_t value = width == 0 ? 0 : static_cast<std::uint32_t>(random()) >> (32 - width);
    written.emplace_back(value, width);
    writer.write(value, width);
  }
  writer.flush();
  bit_reader reader(out);
  for (const auto& [value, width] : written) ASSERT_EQ(reader.read(width), value);
  EXPECT_LT(reader.bits_left(), 8u);
}

TEST(SnapshotBits, ReadingPastTheEndFailsAndDoesNotMove) {
  const bytes data{0xff, 0x01};
  bit_reader reader(data);
  EXPECT_EQ(reader.read(12), 0x1ffu);
  EXPECT_EQ(reader.read(5), std::nullopt);
  EXPECT_EQ(reader.bits_read(), 12u);
  EXPECT_EQ(reader.read(33), std::nullopt);
  EXPECT_EQ(reader.read(4), 0u);
  EXPECT_EQ(reader.read_bit(), std::nullopt);
  EXPECT_EQ(reader.read(0), 0u);
  bit_reader empty(std::span<const std::uint8_t>{});
  EXPECT_EQ(empty.read(1), std::nullopt);
}

// ---- Entity sets ----------------------------------------------------------------------------------------------

TEST(SnapshotEntitySet, KeepsIdsIncreasingAndFindsThem) {
  entity_set set;
  const std::uint32_t a[] = {1, 2};
  EXPECT_TRUE(set.add(5, 1, a));
  EXPECT_FALSE(set.add(5, 1, a));
  EXPECT_FALSE(set.add(3, 1, a));
  EXPECT_TRUE(set.add(9, 2, {}));
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set.id(1), 9u);
  EXPECT_EQ(set.type(1), 2);
  EXPECT_EQ(set.fields(1).size(), 0u);
  ASSERT_NE(set.find(5), nullptr);
  EXPECT_EQ(set.fields(*set.find(5))[1], 2u);
  EXPECT_EQ(set.find(6), nullptr);
  EXPECT_EQ(set.index_of(9), 1u);
  const std::vector<std::uint32_t> too_many(max_fields + 1, 0);
  EXPECT_FALSE(set.add(10, 0, too_many));
  entity_set copy = set;
  EXPECT_EQ(copy, set);
  set.clear();
  EXPECT_TRUE(set.empty());
  EXPECT_NE(copy, set);
  EXPECT_TRUE(set.add(1, 0, a));  // after clear() ids start over
}

TEST(SnapshotEntitySet, RefusesMoreThanTheCap) {
  entity_set set;
  for (std::uint32_t id = 0; id < max_entities; ++id) ASSERT_TRUE(set.add(id, 2, {}));
  EXPECT_FALSE(set.add(max_entities, 2, {}));
  EXPECT_EQ(set.size(), max_entities);
}

// ---- Round trips ----------------------------------------------------------------------------------------------

TEST(SnapshotCodec, FullSnapshotRoundTrips) {
  const auto schema = arena_schema();
  entity_set world = make_set({{1, {5000, 2500, 512, 100, 1}}, {2, {0, 10000, 1023, 0, 0}}});
  const std::uint32_t shot[] = {1234, 4321};
  ASSERT_TRUE(world.add(40, projectile, shot));
  ASSERT_TRUE(world.add(0xffffffff, marker, {}));
  expect_round_trip(schema, entity_set{}, world);
  expect_round_trip(schema, entity_set{}, entity_set{});
  EXPECT_EQ(encode(schema, entity_set{}, entity_set{}), bytes{0b111});  // just the end marker
}

TEST(SnapshotCodec, UnchangedWorldCostsOneByte) {
  const auto schema = arena_schema();
  const entity_set world = make_set({{1, {5000, 2500, 512, 100, 1}}, {2, {1, 2, 3, 4, 0}}});
  const bytes payload = encode(schema, world, world);
  EXPECT_EQ(payload.size(), 1u);
  EXPECT_EQ(decode_ok(schema, world, payload), world);
}

TEST(SnapshotCodec, CreatesChangesAndRemoves) {
  const auto schema = arena_schema();
  const entity_set before = make_set({{1, {5000, 2500, 512, 100, 1}}, {2, {10, 20, 30, 40, 1}}, {3, {7, 7, 7, 7, 0}}});
  // 1 moves a little, 2 is hit and dies, 3 leaves, 8 joins.
  const entity_set after =
      make_set({{1, {5003, 2490, 500, 100, 1}}, {2, {10, 20, 30, 0, 0}}, {8, {9000, 9000, 0, 100, 1}}});
  expect_round_trip(schema, before, after);
  expect_round_trip(schema, after, before);
}

TEST(SnapshotCodec, EveryNumberCodingRoundTrips) {
  const auto schema = arena_schema();
  const entity_set before = make_set({{1, {5000, 5000, 10, 50, 1}}});
  for (std::int64_t delta : {1, -1, 16, -16, 17, -17, 272, -272, 273, -273, 4000, -5000}) {
    const auto x = static_cast<std::uint32_t>(5000 + delta);
    const auto aim = static_cast<std::uint32_t>((10 + delta % 1024 + 1024) % 1024);
    const entity_set after = make_set({{1, {x, 5000, aim, 50, 1}}});
    expect_round_trip(schema, before, after);
  }
}

TEST(SnapshotCodec, AnglesTakeTheShortWayRound) {
  const auto schema = arena_schema();
  const entity_set before = make_set({{1, {0, 0, 1020, 0, 0}}});
  const entity_set after = make_set({{1, {0, 0, 3, 0, 0}}});  // 7 steps forward across zero
  const bytes payload = encode(schema, before, after);
  // op 1 + gap 1 (id 1 after -1: gap 1, tier 1 = 5 bits) + one-field mask 1+3 + small delta 7 + end 3 = 20 bits
  EXPECT_EQ(payload.size(), 3u);
  EXPECT_EQ(decode_ok(schema, before, payload), after);
  expect_round_trip(schema, after, before);
}

TEST(SnapshotCodec, ReusedIdsReplaceTheOldEntity) {
  const auto schema = arena_schema();
  const entity_set before = make_set({{4, {1, 2, 3, 4, 1}}});
  entity_set as_projectile;
  const std::uint32_t shot[] = {50, 60};
  ASSERT_TRUE(as_projectile.add(4, projectile, shot));
  expect_round_trip(schema, before, as_projectile);
  expect_round_trip(schema, as_projectile, before);
  // A client that missed the removal sees the id come back: a create for an id it holds replaces the entity.
  entity_set out;
  bytes payload;
  bit_writer writer(payload);
  writer.write(0b01, 2);  // create
  writer.write(0b01, 2);  // gap tier 1 (1 then 0) ...
  writer.write(3, 3);     // ... gap 1 + 3 = 4: id 4
  writer.write(projectile, 2);
  writer.write(50, 14);
  writer.write(60, 14);
  writer.write(0b111, 3);
  writer.flush();
  EXPECT_EQ(decode_ok(schema, before, payload), as_projectile);
}

TEST(SnapshotCodec, SparseAndExtremeIdsRoundTrip) {
  const auto schema = arena_schema();
  entity_set world;
  for (std::uint32_t id : {0u, 1u, 9u, 10u, 80u, 5000u, 70000u, 0x7fffffffu, 0xfffffffeu, 0xffffffffu}) {
    ASSERT_TRUE(world.add(id, marker, {}));
  }
  expect_round_trip(schema, entity_set{}, world);
  expect_round_trip(schema, world, entity_set{});
}

TEST(SnapshotCodec, TargetMayBeTheBaselineObject) {
  const auto schema = arena_schema();
  entity_set state = make_set({{1, {1, 2, 3, 4, 1}}});
  const entity_set next = make_set({{1, {2, 2, 3, 4, 1}}, {2, {0, 0, 0, 0, 0}}});
  const bytes payload = encode(schema, state, next);
  ASSERT_TRUE(decode_delta(schema, state, payload, state));
  EXPECT_EQ(state, next);
}

// What the room engine and a client do together: the server keeps what it sent per tick and encodes each tick
// against the newest tick the client acknowledged; the client keeps a ring of what it decoded by tick. Snapshots
// are lost (the baseline stays old) and arrive late (decoded after a newer one): every one still decodes.
class snapshot_client {
 public:
  static constexpr std::uint32_t ring_size = 32;
  // Decodes a snapshot of `tick` against `baseline_tick` (none: a full snapshot).
  void receive(const world_schema& schema, std::uint32_t tick, std::optional<std::uint32_t> baseline_tick,
               const bytes& payload) {
    entity_set empty;
    const entity_set& baseline = baseline_tick ? ring_[*baseline_tick % ring_size] : empty;
    if (baseline_tick) {
      ASSERT_EQ(ticks_[*baseline_tick % ring_size], *baseline_tick) << "baseline not held";
    }
    entity_set decoded;
    ASSERT_TRUE(decode_delta(schema, baseline, payload, decoded));
    ring_[tick % ring_size] = std::move(decoded);
    ticks_[tick % ring_size] = tick;
    if (!newest_ || tick > *newest_) newest_ = tick;
  }
  const entity_set& at(std::uint32_t tick) const { return ring_[tick % ring_size]; }
  std::optional<std::uint32_t> newest() const { return newest_; }

 private:
  std::array<entity_set, ring_size> ring_;
  std::array<std::uint32_t, ring_size> ticks_{};
  std::optional<std::uint32_t> newest_;
};

std::vector<entity_set> moving_world(std::size_t ticks) {
  std::vector<entity_set> world;
  for (std::uint32_t tick = 0; tick < ticks; ++tick) {
    entity_set set;
    for (std::uint32_t id = 1; id <= 8; ++id) {
      if (id == 5 && tick >= 4 && tick < 6) continue;  // dies at 4, respawns at 6
      const std::uint32_t v[] = {1000 + id * 300 + tick * 20, 2000 + tick * (id % 3), (id * 100 + tick * 5) % 1024,
                                 100 - tick, (tick + id) % 2};
      EXPECT_TRUE(set.add(id, player, v));
    }
    const std::uint32_t shot[] = {tick * 90, 5000};
    if (tick >= 2) {
      EXPECT_TRUE(set.add(100 + tick, projectile, shot));  // a new projectile each tick
    }
    world.push_back(std::move(set));
  }
  return world;
}

TEST(SnapshotCodec, GapOfLostSnapshotsDecodesAgainstTheAckedBaseline) {
  const auto schema = arena_schema();
  const auto world = moving_world(9);
  snapshot_client client;
  for (std::uint32_t tick = 0; tick <= 3; ++tick) {
    const bytes payload = encode(schema, tick == 0 ? entity_set{} : world[tick - 1], world[tick]);
    client.receive(schema, tick, tick == 0 ? std::nullopt : std::optional(tick - 1), payload);
  }
  // The client acked 3; the server's snapshots 4, 5 and 6 (each against 3) are lost; 7 arrives against 3.
  for (std::uint32_t lost = 4; lost <= 6; ++lost) (void)encode(schema, world[3], world[lost]);
  client.receive(schema, 7, 3, encode(schema, world[3], world[7]));
  EXPECT_EQ(client.at(7), world[7]);
  EXPECT_EQ(client.newest(), 7u);
}

TEST(SnapshotCodec, ReorderedSnapshotAgainstAnOlderBaselineStillDecodes) {
  const auto schema = arena_schema();
  const auto world = moving_world(9);
  snapshot_client client;
  client.receive(schema, 0, std::nullopt, encode(schema, entity_set{}, world[0]));
  client.receive(schema, 2, 0, encode(schema, world[0], world[2]));
  const bytes late = encode(schema, world[0], world[3]);    // sent first (against 0)...
  const bytes early = encode(schema, world[2], world[5]);   // ...overtaken by this one (against 2)
  client.receive(schema, 5, 2, early);
  client.receive(schema, 3, 0, late);
  EXPECT_EQ(client.at(5), world[5]);
  EXPECT_EQ(client.at(3), world[3]);
  EXPECT_EQ(client.newest(), 5u);  // the late one is kept as a baseline, not shown as newest
  client.receive(schema, 8, 3, encode(schema, world[3], world[8]));  // and the server may use it as one
  EXPECT_EQ(client.at(8), world[8]);
}

// A random world evolving: entities come and go, ids are reused, fields drift by small and large steps. Each tick
// is encoded against a random earlier tick (the acked one) and against nothing; both must decode exactly.
entity_set random_world(std::mt19937& random, const world_schema& schema, const entity_set* previous) {
  entity_set next;
  std::vector<std::uint32_t> values;
  const std::uint32_t id_space = 1 + random() % 300;
  for (std::uint32_t id = 0; id < id_space; ++id) {
    const auto* old = previous ? previous->find(id) : nullptr;
    const bool keep = old != nullptr && random() % 10 != 0;
    if (!keep && random() % 4 != 0) continue;
    const std::uint8_t type = keep && random() % 20 != 0 ? old->type : static_cast<std::uint8_t>(random() % 3);
    const auto& fields = schema.types[type].fields;
    values.assign(fields.size(), 0);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const std::uint32_t top = max_quantized(fields[f]);
      std::int64_t value = random() % (std::int64_t{top} + 1);
      if (keep && type == old->type && random() % 3 != 0) {
        const std::int64_t step = random() % 2 ? std::int64_t(random() % 40) - 20 : std::int64_t(random() % 600) - 300;
        value = std::clamp<std::int64_t>(previous->fields(*old)[f] + step, 0, top);
      }
      values[f] = static_cast<std::uint32_t>(value);
    }
    EXPECT_TRUE(next.add(id, type, values));
  }
  return next;
}

TEST(SnapshotCodec, RandomWorldsRoundTripAgainstAnyBaseline) {
  const auto schema = arena_schema();
  std::mt19937 random(20260109);
  std::vector<entity_set> history;
  std::size_t delta_bytes = 0;
  std::size_t full_bytes = 0;
  for (int tick = 0; tick < 400; ++tick) {
    history.push_back(random_world(random, schema, history.empty() ? nullptr : &history.back()));
    // Mostly the previous tick, as a client that acks promptly; sometimes any older one.
    const entity_set& baseline =
        random() % 4 != 0 ? history[history.size() >= 2 ? history.size() - 2 : 0] : history[random() % history.size()];
    const bytes delta = encode(schema, baseline, history.back());
    ASSERT_EQ(decode_ok(schema, baseline, delta), history.back()) << "tick " << tick;
    const bytes full = encode(schema, entity_set{}, history.back());
    ASSERT_EQ(decode_ok(schema, entity_set{}, full), history.back()) << "tick " << tick;
    delta_bytes += delta.size();
    full_bytes += full.size();
  }
  EXPECT_LT(delta_bytes, full_bytes);
}

TEST(SnapshotCodec, SmallChangesCostFarLessThanAFullSnapshot) {
  const auto schema = arena_schema();
  entity_set before;
  entity_set after;
  for (std::uint32_t id = 1; id <= 64; ++id) {
    const std::uint32_t a[] = {100 * id, 50 * id, id, 100, 1};
    const std::uint32_t b[] = {100 * id + 5, 50 * id - 3, id, 100, 1};  // x and y move a few hundredths
    ASSERT_TRUE(before.add(id, player, a));
    ASSERT_TRUE(after.add(id, player, b));
  }
  const bytes full = encode(schema, entity_set{}, after);
  const bytes delta = encode(schema, before, after);
  // Full: per entity 3 (op + gap) + 2 type + 14 + 14 + 10 + 7 + 1 = 51 bits. Delta: 2 (op + gap) + 6 (mask)
  // + 2 * 7 (small deltas) = 22 bits. The first id (1) costs 4 more bits of gap; the end marker 3.
  EXPECT_EQ(full.size(), (64 * 51 + 4 + 3 + 7) / 8u);
  EXPECT_EQ(delta.size(), (64 * 22 + 4 + 3 + 7) / 8u);
  EXPECT_LT(delta.size() * 2, full.size());
  EXPECT_EQ(decode_ok(schema, before, delta), after);
}

TEST(SnapshotCodec, AnEntityThatChangedEverywhereIsSentWholeWhenThatIsShorter) {
  const auto schema = arena_schema();
  const entity_set before = make_set({{1, {0, 0, 0, 0, 0}}});
  const entity_set after = make_set({{1, {9000, 8000, 500, 90, 1}}});  // a respawn far away
  const bytes delta = encode(schema, before, after);
  // As a change: 1 + 5 (op, gap) + 6 (mask) + 15 + 15 + 11 + 8 = 61 bits; as a create: 2 + 5 + 2 + 46 = 55 bits.
  EXPECT_EQ(delta.size(), (55 + 3 + 7) / 8u);
  EXPECT_EQ(delta.size(), encode(schema, entity_set{}, after).size());
  EXPECT_EQ(decode_ok(schema, before, delta), after);
}

// ---- Hostile bytes ----------------------------------------------------------------------------------------------

bytes bits_of(std::initializer_list<std::pair<std::uint32_t, unsigned>> values) {
  bytes out;
  bit_writer writer(out);
  for (const auto& [value, width] : values) writer.write(value, width);
  writer.flush();
  return out;
}

TEST(SnapshotDecodeErrors, EveryPathIsATypedError) {
  const auto schema = arena_schema();
  const entity_set one = make_set({{0, {1, 2, 3, 4, 1}}});
  // Nothing at all, and a create cut short.
  EXPECT_EQ(decode_error(schema, {}, {}), snapshot_error::truncated);
  EXPECT_EQ(decode_error(schema, {}, bits_of({{0b01, 2}, {0, 1}, {player, 2}, {0, 3}})), snapshot_error::truncated);
  // Type 3 does not exist (two bits name 0..3; the schema has 3 types).
  EXPECT_EQ(decode_error(schema, {}, bits_of({{0b01, 2}, {0, 1}, {3, 2}, {0b111, 3}})), snapshot_error::bad_type);
  // A change and a removal of an id the baseline does not hold.
  EXPECT_EQ(decode_error(schema, {}, bits_of({{0, 1}, {0, 1}, {0b111, 3}})), snapshot_error::unknown_entity);
  EXPECT_EQ(decode_error(schema, one, bits_of({{0b011, 3}, {0b01, 2}, {0, 3}, {0b111, 3}})),
            snapshot_error::unknown_entity);
  // An id past 2^32 - 1: the 32-bit gap tier plus its offset overflows.
  EXPECT_EQ(decode_error(schema, {}, bits_of({{0b011, 3}, {0xf, 4}, {0xffffffff, 32}})), snapshot_error::bad_id_order);
  // Health 127 in its 7 bits, above max 100; a one-field mask naming field 5 of 5 (indexes 0..4 in 3 bits).
  EXPECT_EQ(decode_error(schema, {}, bits_of({{0b01, 2}, {0, 1}, {player, 2}, {0, 14}, {0, 14}, {0, 10}, {127, 7},
                                              {0, 1}, {0b111, 3}})),
            snapshot_error::value_out_of_range);
  EXPECT_EQ(decode_error(schema, one, bits_of({{0, 1}, {0, 1}, {1, 1}, {5, 3}, {0b111, 3}})),
            snapshot_error::value_out_of_range);
  // A delta taking x below 0 (x is 1: minus 2).
  EXPECT_EQ(decode_error(schema, one, bits_of({{0, 1}, {0, 1}, {1, 1}, {0, 3}, {0b01, 2}, {1, 1}, {1, 4},
                                               {0b111, 3}})),
            snapshot_error::value_out_of_range);
  // A whole byte after the end marker, and non-zero padding bits.
  EXPECT_EQ(decode_error(schema, {}, bytes{0b111, 0}), snapshot_error::trailing_bytes);
  EXPECT_EQ(decode_error(schema, {}, bytes{0b1000'0111}), snapshot_error::trailing_bytes);
}

TEST(SnapshotDecodeErrors, TooManyEntitiesIsRefusedNotAllocated) {
  const auto schema = arena_schema();
  // 65536 markers with consecutive ids: 5 bits each (op 10, gap 0 tier, type 10).
  bytes out;
  bit_writer writer(out);
  for (std::size_t i = 0; i <= max_entities; ++i) {
    writer.write(0b01, 2);
    writer.write(0, 1);
    writer.write(marker, 2);
  }
  writer.write(0b111, 3);
  writer.flush();
  EXPECT_EQ(decode_error(schema, {}, out), snapshot_error::too_many_entities);
  // The same count reached through the baseline: 65535 carried over plus one created.
  entity_set full;
  for (std::uint32_t id = 0; id < max_entities; ++id) ASSERT_TRUE(full.add(id, marker, {}));
  EXPECT_EQ(decode_error(schema, full, bits_of({{0b01, 2}, {0b1111, 4}, {65535 - 4169, 32}, {marker, 2}, {0b111, 3}})),
            snapshot_error::too_many_entities);
}

TEST(SnapshotDecodeErrors, BaselineThatDoesNotFitTheSchemaIsBadType) {
  const auto schema = arena_schema();
  entity_set wrong;
  const std::uint32_t three[] = {1, 2, 3};
  ASSERT_TRUE(wrong.add(0, player, three));  // players have 5 fields
  EXPECT_EQ(decode_error(schema, wrong, bits_of({{0, 1}, {0, 1}, {1, 1}, {0, 3}, {0, 1}, {0, 14}, {0b111, 3}})),
            snapshot_error::bad_type);
  EXPECT_EQ(to_string(snapshot_error::bad_type), "bad_type");
  EXPECT_EQ(to_string(snapshot_error::too_many_entities), "too_many_entities");
}

TEST(SnapshotCodec, EncoderNeverMisbehavesOnBrokenPreconditions) {
  const auto schema = arena_schema();
  entity_set odd;
  const std::uint32_t huge[] = {0xffffffff, 0xffffffff};
  ASSERT_TRUE(odd.add(1, player, huge));      // two values for five fields, both above the field's max
  ASSERT_TRUE(odd.add(2, 200, huge));         // a type the schema does not have: left out
  entity_set decoded = decode_ok(schema, {}, encode(schema, {}, odd));
  ASSERT_EQ(decoded.size(), 1u);
  const std::vector<std::uint32_t> expected{10000, 10000, 0, 0, 0};
  EXPECT_TRUE(std::ranges::equal(decoded.fields(0), expected));
}

// ---- The schema as clients get it ------------------------------------------------------------------------------

TEST(SnapshotSchemaJson, WritesEveryFieldWithExactNumbers) {
  world_schema schema;
  schema.types.push_back({"pl\"ay\\er\n", {field_spec::fixed("x", -0.5, 100, 0.01), field_spec::flag("on"),
                                          field_spec::turn("aim", 10), field_spec::whole("hp", -3, 250)}});
  schema.types.push_back({"empty", {}});
  EXPECT_EQ(schema_to_json(schema),
            R"({"types":[{"name":"pl\"ay\\er\u000a","fields":[)"
            R"({"name":"x","kind":"real","min":-0.5,"max":100,"step":0.01,"bits":14},)"
            R"({"name":"on","kind":"boolean","min":0,"max":1,"step":1,"bits":1},)"
            R"({"name":"aim","kind":"angle","min":0,"max":0,"step":1,"bits":10},)"
            R"({"name":"hp","kind":"integer","min":-3,"max":250,"step":1,"bits":8}]},)"
            R"({"name":"empty","fields":[]}]})");
}

TEST(SnapshotSchemaJson, ValidateNamesWhatIsWrong) {
  EXPECT_TRUE(validate_schema(arena_schema()));
  world_schema bad = arena_schema();
  bad.types[0].fields[0].bits = 0;
  EXPECT_EQ(validate_schema(bad).error(), "type player, field x: bits must be 1..32");
  bad = arena_schema();
  bad.types[1].fields[1].step = 0;
  EXPECT_EQ(validate_schema(bad).error(), "type projectile, field y: step must be above 0");
  bad = arena_schema();
  bad.types[0].fields[3].max = -1;
  EXPECT_EQ(validate_schema(bad).error(), "type player, field health: max must be above min");
  bad = arena_schema();
  bad.types[2].fields.assign(33, field_spec::flag("f"));
  EXPECT_EQ(validate_schema(bad).error(), "type marker: 33 fields, at most 32");
  bad.types.assign(257, {});
  EXPECT_EQ(validate_schema(bad).error(), "257 entity types, at most 256");
}

}  // namespace
