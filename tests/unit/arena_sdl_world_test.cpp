// The SDL arena client reads snapshots by field name through the schema the server sends with room_joined
// (examples/arena-sdl/arena_world.cpp): a server that orders or extends the fields differently is still read
// right, and a schema without a field the client draws is refused with its name.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "arena_world.hpp"

namespace guildhall::arena_sdl {
namespace {

// The arena's kinds in another order than src/games/arena/arena_schema.cpp, each field list reversed and with an
// extra field the client does not know.
client::room_schema shuffled_schema() {
  client::room_schema schema;
  schema.kinds = {
      {"match", {"extra", "state", "time_left"}},
      {"player", {"extra", "bot", "seat", "deaths", "score", "alive", "health", "angle", "y", "x"}},
      {"shot", {"extra", "hit", "seat", "y1", "x1", "y0", "x0"}},
  };
  return schema;
}

TEST(ArenaSdlWorld, ReadsFieldsByNameWhateverTheirOrder) {
  const auto layout = layout_of(shuffled_schema());
  ASSERT_TRUE(layout) << layout.error();
  client::room_snapshot snapshot{.room_id = 7, .tick = 40, .entities = {}};
  snapshot.entities.push_back({.id = 1, .kind = 0, .fields = {99, 1, 75.5}});
  // Seat 3 before seat 1: the SDK gives entities by id, the client wants them by seat.
  snapshot.entities.push_back({.id = 19, .kind = 1, .fields = {99, 0, 3, 2, 5, 1, 80, 1.5, 12.25, 10.0}});
  snapshot.entities.push_back({.id = 17, .kind = 1, .fields = {99, 1, 1, 0, 0, 0, 0, 0, 4.0, 3.0}});
  snapshot.entities.push_back({.id = 1024, .kind = 2, .fields = {99, 1, 1, 4.0, 3.0, 6.0, 5.0}});
  snapshot.entities.push_back({.id = 2000, .kind = 9, .fields = {1, 2, 3}});       // a kind it does not know
  snapshot.entities.push_back({.id = 20, .kind = 1, .fields = {1, 2}});            // too few fields
  const world_view world = world_from(snapshot, *layout);

  EXPECT_DOUBLE_EQ(world.time_left_s, 75.5);
  EXPECT_EQ(world.match_state, 1);
  ASSERT_EQ(world.players.size(), 2u);
  EXPECT_EQ(world.players[0].seat, 1);
  EXPECT_FALSE(world.players[0].alive);
  EXPECT_TRUE(world.players[0].bot);
  const player_view* p = find_seat(world, 3);
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(p->x, 10.0);
  EXPECT_DOUBLE_EQ(p->y, 12.25);
  EXPECT_DOUBLE_EQ(p->angle, 1.5);
  EXPECT_EQ(p->health, 80);
  EXPECT_TRUE(p->alive);
  EXPECT_EQ(p->score, 5);
  EXPECT_EQ(p->deaths, 2);
  EXPECT_FALSE(p->bot);
  ASSERT_EQ(world.shots.size(), 1u);
  const shot_view& s = world.shots[0];
  EXPECT_DOUBLE_EQ(s.x0, 5.0);
  EXPECT_DOUBLE_EQ(s.y0, 6.0);
  EXPECT_DOUBLE_EQ(s.x1, 3.0);
  EXPECT_DOUBLE_EQ(s.y1, 4.0);
  EXPECT_EQ(s.seat, 1);
  EXPECT_TRUE(s.hit);
}

TEST(ArenaSdlWorld, ASchemaWithoutAFieldTheClientDrawsIsRefusedByName) {
  auto schema = shuffled_schema();
  auto& player_fields = schema.kinds[1].fields;
  player_fields.erase(std::find(player_fields.begin(), player_fields.end(), "health"));
  const auto layout = layout_of(schema);
  ASSERT_FALSE(layout);
  EXPECT_EQ(layout.error(), "player.health");

  schema.kinds.pop_back();  // no shots at all
  EXPECT_EQ(layout_of(schema).error(), "shot");
  EXPECT_EQ(layout_of(client::room_schema{}).error(), "player");
}

}  // namespace
}  // namespace guildhall::arena_sdl
