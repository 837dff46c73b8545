// services::snapshot_builder: interest (radius, always-relevant, private), priority under a byte budget,
// entering and leaving the view, delta against the acknowledged snapshot, full snapshot without acks. Each
// snapshot is decoded with the real codec, as a client would, against the baseline the client holds.
#include "services/rooms/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace guildhall::services {
namespace {
namespace snap = wire::snapshot;

world_schema make_schema() {
  world_schema schema;
  schema.types = {{"thing", {field_spec::fixed("x", 0, 1000, 0.5), field_spec::fixed("y", 0, 1000, 0.5),
                             field_spec::whole("hp", 0, 1000)}}};
  return schema;
}

// A client: keeps every decoded snapshot by tick, acknowledges the newest.
struct test_client {
  std::map<std::uint32_t, snap::entity_set> received;
  std::uint32_t newest = 0;

  const snap::entity_set& apply(const world_schema& schema, std::uint32_t tick, std::uint32_t baseline_tick,
                                const std::vector<std::uint8_t>& bytes) {
    static const snap::entity_set empty;
    const snap::entity_set& baseline = baseline_tick == 0 ? empty : received.at(baseline_tick);
    snap::entity_set target;
    const auto decoded = snap::decode_delta(schema, baseline, bytes, target);
    EXPECT_TRUE(decoded) << (decoded ? "" : snap::to_string(decoded.error()));
    newest = tick;
    return received[tick] = std::move(target);
  }
};

std::set<std::uint32_t> ids(const snap::entity_set& set) {
  std::set<std::uint32_t> out;
  for (std::size_t i = 0; i < set.size(); ++i) out.insert(set.id(i));
  return out;
}

class RoomSnapshotBuilder : public ::testing::Test {
 protected:
  // Builds tick `tick` for the client, decodes it, acknowledges it (unless told not to), returns what it knows.
  const snap::entity_set& step(std::uint32_t tick, const std::optional<viewpoint>& view, bool ack = true,
                               std::uint64_t user = 1) {
    frame.finish();
    bytes.clear();
    last = builder.build(frame, tick, server_side, user, view, bytes);
    const auto& known = client.apply(schema, tick, last.baseline_tick, bytes);
    if (ack) server_side.acknowledge(tick);
    return known;
  }
  void world(std::initializer_list<std::tuple<std::uint32_t, double, double, relevance>> entities) {
    frame.clear();
    for (const auto& [id, x, y, where] : entities) {
      relevance at = where;
      at.x = static_cast<float>(x);
      at.y = static_cast<float>(y);
      frame.entity(id, 0, {x, y, 100.0}, at);
    }
  }

  world_schema schema = make_schema();
  world_frame frame{schema};
  snapshot_builder builder{1200};
  snapshot_client server_side;
  test_client client;
  std::vector<std::uint8_t> bytes;
  snapshot_builder::built last{};
};

TEST_F(RoomSnapshotBuilder, SendsOnlyEntitiesWithinTheRadiusPlusAlwaysRelevantOnes) {
  world({{1, 100, 100, {}}, {2, 120, 100, {}}, {3, 500, 500, {}}, {4, 900, 900, relevance{.always = true}}});
  const auto& known = step(1, viewpoint{100, 100, 50});
  EXPECT_EQ(ids(known), (std::set<std::uint32_t>{1, 2, 4}));
  // Without a viewpoint (a spectator) everything is seen.
  snapshot_client spectator;
  bytes.clear();
  builder.build(frame, 1, spectator, 9, std::nullopt, bytes);
  snap::entity_set all;
  ASSERT_TRUE(snap::decode_delta(schema, {}, bytes, all));
  EXPECT_EQ(all.size(), 4u);
}

TEST_F(RoomSnapshotBuilder, PrivateEntitiesReachOnlyTheirUser) {
  world({{1, 0, 0, relevance{.only_for_user = 7}}, {2, 0, 0, {}}});
  EXPECT_EQ(ids(step(1, std::nullopt, true, 7)), (std::set<std::uint32_t>{1, 2}));
  snapshot_client other;
  bytes.clear();
  builder.build(frame, 1, other, 8, std::nullopt, bytes);
  snap::entity_set seen;
  ASSERT_TRUE(snap::decode_delta(schema, {}, bytes, seen));
  EXPECT_EQ(ids(seen), (std::set<std::uint32_t>{2}));
}

TEST_F(RoomSnapshotBuilder, EntitiesEnterAndLeaveTheViewWithAMargin) {
  world({{1, 100, 100, {}}, {2, 160, 100, {}}});
  EXPECT_EQ(ids(step(1, viewpoint{100, 100, 50})), (std::set<std::uint32_t>{1}));
  world({{1, 100, 100, {}}, {2, 140, 100, {}}});  // 2 walks in
  EXPECT_EQ(ids(step(2, viewpoint{100, 100, 50})), (std::set<std::uint32_t>{1, 2}));
  world({{1, 100, 100, {}}, {2, 153, 100, {}}});  // just past the radius, within the margin: kept
  EXPECT_EQ(ids(step(3, viewpoint{100, 100, 50})), (std::set<std::uint32_t>{1, 2}));
  world({{1, 100, 100, {}}, {2, 170, 100, {}}});  // gone
  EXPECT_EQ(ids(step(4, viewpoint{100, 100, 50})), (std::set<std::uint32_t>{1}));
  world({{2, 100, 100, {}}});                     // 1 leaves the world
  EXPECT_EQ(ids(step(5, viewpoint{100, 100, 50})), (std::set<std::uint32_t>{2}));
}

TEST_F(RoomSnapshotBuilder, DeltasAreAgainstTheAcknowledgedSnapshotAndUnchangedCostsNothing) {
  world({{1, 10, 10, {}}, {2, 20, 20, {}}});
  step(1, std::nullopt);
  EXPECT_EQ(last.baseline_tick, 0u);
  const std::size_t full_bytes = bytes.size();
  step(2, std::nullopt);  // nothing changed
  EXPECT_EQ(last.baseline_tick, 1u);
  EXPECT_LT(bytes.size(), full_bytes);
  EXPECT_EQ(last.entities_sent, 0u);
  // Snapshots 3 and 4 are lost (never acknowledged): 5 is still against 2, and decodes to the right world.
  world({{1, 11, 10, {}}, {2, 20, 20, {}}});
  bytes.clear();
  builder.build(frame, 3, server_side, 1, std::nullopt, bytes);
  world({{1, 12, 10, {}}, {2, 20, 20, {}}});
  bytes.clear();
  builder.build(frame, 4, server_side, 1, std::nullopt, bytes);
  world({{1, 13, 10, {}}, {2, 20, 20, {}}});
  const auto& known = step(5, std::nullopt);
  EXPECT_EQ(last.baseline_tick, 2u);
  const auto* one = known.find(1);
  ASSERT_NE(one, nullptr);
  EXPECT_DOUBLE_EQ(snap::dequantize(schema.types[0].fields[0], known.fields(*one)[0]), 13.0);
}

TEST_F(RoomSnapshotBuilder, AClientThatAcknowledgesNothingForAWhileGetsAFullSnapshot) {
  world({{1, 10, 10, {}}});
  step(1, std::nullopt);
  for (std::uint32_t tick = 2; tick < 1 + snapshot_client::kSentRing; ++tick) {
    bytes.clear();
    last = builder.build(frame, tick, server_side, 1, std::nullopt, bytes);
    EXPECT_EQ(last.baseline_tick, 1u);
  }
  bytes.clear();
  last = builder.build(frame, 1 + snapshot_client::kSentRing, server_side, 1, std::nullopt, bytes);
  EXPECT_EQ(last.baseline_tick, 0u);  // tick 1 is out of the ring: start again from nothing
  snap::entity_set known;
  ASSERT_TRUE(snap::decode_delta(schema, {}, bytes, known));
  EXPECT_EQ(known.size(), 1u);
}

TEST_F(RoomSnapshotBuilder, ResetMakesTheNextSnapshotFull) {
  world({{1, 10, 10, {}}});
  step(1, std::nullopt);
  step(2, std::nullopt);
  EXPECT_EQ(last.baseline_tick, 1u);
  server_side.reset();
  step(3, std::nullopt);
  EXPECT_EQ(last.baseline_tick, 0u);
}

TEST_F(RoomSnapshotBuilder, AcknowledgementsOfTicksNeverSentAreIgnored) {
  world({{1, 10, 10, {}}});
  step(1, std::nullopt);
  server_side.acknowledge(99);
  server_side.acknowledge(0);
  EXPECT_EQ(server_side.acked_tick(), 1u);
}

// 60 entities that all move every tick and a budget that fits a handful: the near ones go most often, but every
// far one is still sent within a bounded number of ticks (its priority grows while it waits), and each snapshot
// stays near the budget.
TEST_F(RoomSnapshotBuilder, UnderABudgetFarEntitiesStillGetTheirTurn) {
  snapshot_builder tight{120};
  std::map<std::uint32_t, std::uint32_t> last_sent;  // id -> tick it was last up to date at the client
  std::map<std::uint32_t, std::uint32_t> worst_wait;
  const viewpoint view{500, 500, 400};
  for (std::uint32_t tick = 1; tick <= 120; ++tick) {
    frame.clear();
    for (std::uint32_t id = 1; id <= 60; ++id) {
      const double x = 500 + (id <= 5 ? 10.0 : 350.0) + (tick % 2);  // 5 near, 55 far; all change every tick
      frame.entity(id, 0, {x, 500, 100}, relevance{.x = static_cast<float>(x), .y = 500});
    }
    frame.finish();
    bytes.clear();
    last = tight.build(frame, tick, server_side, 1, view, bytes);
    EXPECT_LE(bytes.size(), 120u + 16u) << "tick " << tick;
    const auto& known = client.apply(schema, tick, last.baseline_tick, bytes);
    server_side.acknowledge(tick);
    for (std::uint32_t id = 1; id <= 60; ++id) {
      const auto* e = known.find(id);
      if (e && known.fields(*e)[0] == snap::quantize(schema.types[0].fields[0], 500 + (id <= 5 ? 10.0 : 350.0) + (tick % 2))) {
        worst_wait[id] = std::max(worst_wait[id], tick - last_sent[id]);
        last_sent[id] = tick;
      }
    }
  }
  for (std::uint32_t id = 1; id <= 60; ++id) {
    ASSERT_TRUE(last_sent.contains(id)) << "entity " << id << " was never sent";
    EXPECT_LE(worst_wait[id], 40u) << "entity " << id;
  }
  EXPECT_LE(worst_wait[1], worst_wait[60]);  // near ones refresh at least as often
}

TEST_F(RoomSnapshotBuilder, AnEntityLargerThanTheWholeBudgetIsStillSent) {
  snapshot_builder tiny{1};
  world({{1, 10, 10, {}}});
  frame.finish();
  tiny.build(frame, 1, server_side, 1, std::nullopt, bytes);
  const auto& known = client.apply(schema, 1, 0, bytes);
  EXPECT_EQ(known.size(), 1u);
}

TEST_F(RoomSnapshotBuilder, TheFrameLeavesOutWhatTheSchemaDoesNotAllow) {
  frame.clear();
  frame.entity(1, 0, {1.0, 2.0, 3.0}, {});
  frame.entity(2, 5, {1.0, 2.0, 3.0}, {});  // unknown type
  frame.entity(3, 0, {1.0}, {});            // too few fields
  frame.entity(1, 0, {4.0, 5.0, 6.0}, {});  // repeated id: the first stays
  frame.finish();
  EXPECT_EQ(frame.size(), 1u);
  EXPECT_EQ(frame.rejected(), 3u);
}

}  // namespace
}  // namespace guildhall::services
