#include "arena_world.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace guildhall::arena_sdl {

namespace {

// Further than a fighter runs in the longest interpolation gap (8 ticks at 6 units/s is 1.6 units): a respawn.
constexpr double kTeleportDistance = 3.0;

double lerp_angle(double a, double b, double t) {
  double d = std::fmod(b - a, 2 * std::numbers::pi);
  if (d > std::numbers::pi) d -= 2 * std::numbers::pi;
  if (d < -std::numbers::pi) d += 2 * std::numbers::pi;
  return a + d * t;
}

// Looks up one field of `kind`, noting the first one missing.
struct field_finder {
  const client::room_schema& schema;
  std::string missing;

  std::uint8_t kind(const char* name) {
    if (auto k = schema.kind_of(name)) return *k;
    if (missing.empty()) missing = name;
    return 0;
  }
  std::size_t field(std::uint8_t kind, const char* kind_name, const char* name) {
    if (auto f = schema.field_of(kind, name)) return *f;
    if (missing.empty()) missing = std::string(kind_name) + "." + name;
    return 0;
  }
};

}  // namespace

std::expected<world_layout, std::string> layout_of(const client::room_schema& schema) {
  field_finder find{schema, {}};
  world_layout l;
  l.player = find.kind("player");
  l.shot = find.kind("shot");
  l.match = find.kind("match");
  if (!find.missing.empty()) return std::unexpected(find.missing);
  const auto p = [&](const char* name) { return find.field(l.player, "player", name); };
  const auto s = [&](const char* name) { return find.field(l.shot, "shot", name); };
  const auto m = [&](const char* name) { return find.field(l.match, "match", name); };
  l.p = {p("x"), p("y"), p("angle"), p("health"), p("alive"), p("score"), p("deaths"), p("seat"), p("bot")};
  l.s = {s("x0"), s("y0"), s("x1"), s("y1"), s("seat"), s("hit")};
  l.m = {m("time_left"), m("state")};
  if (!find.missing.empty()) return std::unexpected(find.missing);
  return l;
}

world_view world_from(const client::room_snapshot& snapshot, const world_layout& l) {
  world_view world;
  for (const auto& e : snapshot.entities) {
    const auto& f = e.fields;
    const auto v = [&](std::size_t i) { return f[i]; };
    if (e.kind == l.player) {
      if (f.size() <= std::max({l.p.x, l.p.y, l.p.angle, l.p.health, l.p.alive, l.p.score, l.p.deaths, l.p.seat,
                                l.p.bot})) {
        continue;
      }
      world.players.push_back({.seat = int(v(l.p.seat)), .x = v(l.p.x), .y = v(l.p.y), .angle = v(l.p.angle),
                               .health = int(v(l.p.health)), .alive = v(l.p.alive) != 0,
                               .score = int(v(l.p.score)), .deaths = int(v(l.p.deaths)), .bot = v(l.p.bot) != 0});
    } else if (e.kind == l.shot) {
      if (f.size() <= std::max({l.s.x0, l.s.y0, l.s.x1, l.s.y1, l.s.seat, l.s.hit})) continue;
      world.shots.push_back({.x0 = v(l.s.x0), .y0 = v(l.s.y0), .x1 = v(l.s.x1), .y1 = v(l.s.y1),
                             .seat = int(v(l.s.seat)), .hit = v(l.s.hit) != 0});
    } else if (e.kind == l.match) {
      if (f.size() <= std::max(l.m.time_left, l.m.state)) continue;
      world.time_left_s = v(l.m.time_left);
      world.match_state = int(v(l.m.state));
    }
  }
  // The SDK gives entities by id; players are drawn and looked up by seat.
  std::sort(world.players.begin(), world.players.end(),
            [](const player_view& a, const player_view& b) { return a.seat < b.seat; });
  return world;
}

const player_view* find_seat(const world_view& world, int seat) {
  for (const auto& p : world.players) {
    if (p.seat == seat) return &p;
  }
  return nullptr;
}

world_view lerp_world(const world_view& from, const world_view& to, double t) {
  world_view out = to;
  for (auto& p : out.players) {
    const player_view* a = find_seat(from, p.seat);
    if (!a || !a->alive || !p.alive) continue;
    if (std::hypot(p.x - a->x, p.y - a->y) > kTeleportDistance) continue;
    p.x = a->x + (p.x - a->x) * t;
    p.y = a->y + (p.y - a->y) * t;
    p.angle = lerp_angle(a->angle, p.angle, t);
  }
  return out;
}

}  // namespace guildhall::arena_sdl
