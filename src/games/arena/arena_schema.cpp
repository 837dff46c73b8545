#include "games/arena/arena_schema.hpp"

#include "games/arena/arena_map.hpp"
#include "games/arena/arena_rules.hpp"

namespace guildhall::games::arena {
namespace {

world_schema make_schema() {
  const arena_map& map = yard_map();
  entity_type player{"player",
                     {field_spec::fixed("x", 0, map.width, kPositionStep),
                      field_spec::fixed("y", 0, map.height, kPositionStep),
                      field_spec::turn("angle", kAngleBits),
                      field_spec::whole("health", 0, kMaxHealth),
                      field_spec::flag("alive"),
                      field_spec::whole("score", 0, kMaxScore),
                      field_spec::whole("deaths", 0, kMaxScore),
                      field_spec::whole("seat", 0, kMaxFighters - 1),
                      field_spec::flag("bot")}};
  entity_type shot{"shot",
                   {field_spec::fixed("x0", 0, map.width, kPositionStep),
                    field_spec::fixed("y0", 0, map.height, kPositionStep),
                    field_spec::fixed("x1", 0, map.width, kPositionStep),
                    field_spec::fixed("y1", 0, map.height, kPositionStep),
                    field_spec::whole("seat", 0, kMaxFighters - 1),
                    field_spec::flag("hit")}};
  entity_type match{"match",
                    {field_spec::fixed("time_left", 0, kMaxDurationS, 0.1),
                     field_spec::whole("state", 0, 2)}};
  return world_schema{{std::move(player), std::move(shot), std::move(match)}};
}

}  // namespace

const world_schema& arena_world_schema() {
  static const world_schema schema = make_schema();
  return schema;
}

}  // namespace guildhall::games::arena
