// One arena match: the tick (bots think, bodies move, history is recorded, weapons fire, the dead respawn, the
// clock runs) and the world it shows.
#include "games/arena/arena_room.hpp"

#include <algorithm>

#include "games/arena/arena_events.hpp"
#include "games/arena/hitscan.hpp"

namespace guildhall::games::arena {

arena_room::arena_room(const arena_config& config, room_context& context)
    : config_(config),
      context_(context),
      map_(yard_map()),
      random_(config.seed ? *config.seed : context.random()()),
      history_(context.tick_hz()) {
  fill_with_bots();  // the label follows on the first callback: the context is for callbacks only
}

void arena_room::on_input(const room_member& member, const player_input& input) {
  const auto slot = slot_of(member);
  if (!slot) {
    ++stats_.inputs_not_fighting;
    return;
  }
  const auto decoded = decode_input(input.data);
  if (!decoded) {
    ++(decoded.error() == input_error::wrong_size ? stats_.inputs_wrong_size : stats_.inputs_reserved_bits);
    return;
  }
  ++stats_.inputs_applied;
  fighter& f = fighters_[std::size_t(*slot)];
  f.buttons = decoded->buttons;
  f.aim = decoded->aim;
  // A trigger pull is remembered until the gun is ready, so a tap during the cool-down is not lost; the rate of
  // fire is still capped by ready_tick.
  if (decoded->held(kFire) && f.alive) f.fire = fire_order{decoded->aim, input.view_tick};
}

void arena_room::on_tick() {
  if (state_ == match_state::over) return;
  const std::uint32_t tick = context_.tick();
  if (label_.empty()) update_label();
  if (state_ == match_state::waiting && fighters() >= 2) {
    state_ = match_state::playing;
    end_tick_ = tick + std::uint32_t(config_.duration_s) * std::uint32_t(context_.tick_hz());
  }
  respawn_due(tick);
  think_bots();
  move_fighters();
  record_history(tick);
  fire_weapons(tick);
  for (tracer& t : tracers_) t.live = t.live && tick < t.expires_tick;
  if (state_ == match_state::playing && tick >= end_tick_) finish();
}

void arena_room::think_bots() {
  const int hz = context_.tick_hz();
  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    fighter& f = fighters_[slot];
    if (!f.present || !f.brain) continue;
    // A bot sees what a client would: the bodies within its view radius.
    bot_sight_.clear();
    for (std::size_t other = 0; other < fighters_.size(); ++other) {
      const fighter& g = fighters_[other];
      if (other == slot || !g.present || distance(g.motion.position, f.motion.position) > kViewRadius) continue;
      bot_sight_.push_back({int(other), g.motion.position, g.health, g.alive});
    }
    const bot_view view{{int(slot), f.motion.position, f.health, f.alive}, bot_sight_, hz};
    const arena_input input = f.brain->think(view);
    f.buttons = input.buttons;
    f.aim = input.aim;
    // A bot looks at the present world, so its shots need no rewinding.
    if (input.held(kFire) && f.alive) f.fire = fire_order{input.aim, context_.tick()};
  }
}

void arena_room::move_fighters() {
  const double dt = 1.0 / context_.tick_hz();
  for (fighter& f : fighters_) {
    if (!f.present || !f.alive) continue;
    const std::uint8_t held = f.connected ? f.buttons : 0;
    const vec2 wish = wish_direction(held & kUp, held & kDown, held & kLeft, held & kRight);
    f.motion = step_body(map_, f.motion, wish, dt);
  }
}

void arena_room::record_history(std::uint32_t tick) {
  history_frame frame{};
  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    const fighter& f = fighters_[slot];
    frame[slot] = {f.motion.position, f.life, f.present, f.present && f.alive};
  }
  history_.record(tick, frame);
}

// Every ready trigger fires against the same moment, then the damage lands: two fighters who shoot each other in
// the same tick both hit (a trade), whatever their slot order.
void arena_room::fire_weapons(std::uint32_t tick) {
  std::array<hit, kMaxFighters> hits{};
  std::size_t hit_count = 0;
  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    fighter& f = fighters_[slot];
    if (!f.present || !f.alive || !f.fire || tick < f.ready_tick) continue;
    if (const auto victim = fire_one(int(slot), tick)) hits[hit_count++] = {int(slot), *victim};
    f.fire.reset();
    f.ready_tick = tick + ticks_for_ms(kFireIntervalMs);
  }
  for (std::size_t i = 0; i < hit_count; ++i) apply_hit(hits[i], tick);
}

// Traces one shot from the shooter's present position against the others as they were at the shooter's view
// tick (lag_history), and leaves a tracer. Returns the slot hit.
std::optional<int> arena_room::fire_one(int slot, std::uint32_t tick) {
  fighter& f = fighters_[std::size_t(slot)];
  const history_frame* then = history_.at(rewind_tick(f.fire->view_tick, tick, context_.tick_hz()));
  if (!then) then = history_.at(tick);  // younger than the view tick: test against the present
  std::array<shot_target, kMaxFighters> targets{};
  std::size_t count = 0;
  for (std::size_t other = 0; other < fighters_.size(); ++other) {
    const fighter& g = fighters_[other];
    const body_sample& was = (*then)[other];
    // The same life, alive then and now: no hitting a body that has since died, respawned or been replaced.
    if (int(other) == slot || !g.present || !g.alive || !was.alive || was.life != g.life) continue;
    targets[count++] = {int(other), was.position};
  }
  f.aim = f.fire->aim;
  const shot_result result = trace_shot(map_, f.motion.position, aim_radians(f.aim), {targets.data(), count});
  ++stats_.shots;
  tracers_[next_tracer_] = {true, f.motion.position, result.end, slot, result.victim.has_value(),
                            tick + ticks_for_ms(kTracerLifetimeMs)};
  next_tracer_ = (next_tracer_ + 1) % tracers_.size();
  return result.victim;
}

void arena_room::apply_hit(const hit& h, std::uint32_t tick) {
  fighter& victim = fighters_[std::size_t(h.victim)];
  if (!victim.alive) return;  // already killed by an earlier shot this tick
  ++stats_.hits;
  victim.health = std::max(0, victim.health - kShotDamage);
  if (victim.health > 0) return;
  fighter& killer = fighters_[std::size_t(h.shooter)];
  victim.alive = false;
  victim.motion.velocity = {};
  victim.fire.reset();
  victim.deaths = std::min(kMaxScore, victim.deaths + 1);
  victim.respawn_tick = tick + ticks_for_ms(kRespawnDelayMs);
  killer.kills = std::min(kMaxScore, killer.kills + 1);
  ++stats_.kills;
  context_.broadcast("kill", kill_event(h.shooter, killer.name, h.victim, victim.name));
}

void arena_room::respawn_due(std::uint32_t tick) {
  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    fighter& f = fighters_[slot];
    if (!f.present || f.alive || tick < f.respawn_tick) continue;
    spawn(int(slot));
    context_.broadcast("respawn", respawn_event(int(slot), f.motion.position));
  }
}

void arena_room::finish() {
  state_ = match_state::over;
  std::vector<score_line> scores;
  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    const fighter& f = fighters_[slot];
    if (f.present) scores.push_back({int(slot), f.name, f.kills, f.deaths, f.bot});
  }
  context_.broadcast("results", results_event(std::move(scores), "time"));
  context_.set_locked(true);
  context_.end("the match is over");
}

std::uint32_t arena_room::ticks_for_ms(int ms) const {
  const auto hz = std::int64_t(context_.tick_hz());
  return std::uint32_t(std::max<std::int64_t>(1, (std::int64_t(ms) * hz + 999) / 1000));
}

bool arena_room::place(int slot, vec2 position) {
  if (slot < 0 || slot >= kMaxFighters) return false;
  fighter& f = fighters_[std::size_t(slot)];
  if (!f.present || !f.alive || !is_free(map_, position, kPlayerRadius)) return false;
  f.motion = body{position, {}};
  return true;
}

void arena_room::write_world(world_writer& out) const {
  const int hz = context_.tick_hz();
  double time_left = config_.duration_s;
  if (state_ == match_state::playing) time_left = double(end_tick_ - std::min(end_tick_, context_.tick())) / hz;
  if (state_ == match_state::over) time_left = 0;
  out.entity(kMatchId, kMatchType, {time_left, double(state_)}, relevance{.always = true});

  for (std::size_t slot = 0; slot < fighters_.size(); ++slot) {
    const fighter& f = fighters_[slot];
    if (!f.present) continue;
    const vec2 p = f.motion.position;
    out.entity(kPlayerIdBase + std::uint32_t(slot), kPlayerType,
               {p.x, p.y, aim_radians(f.aim), double(f.health), double(f.alive), double(f.kills), double(f.deaths),
                double(slot), double(f.bot)},
               relevance{.x = float(p.x), .y = float(p.y)});
  }
  for (std::size_t i = 0; i < tracers_.size(); ++i) {
    const tracer& t = tracers_[i];
    if (!t.live) continue;
    const vec2 mid = (t.from + t.to) * 0.5;
    out.entity(kShotIdBase + std::uint32_t(i), kShotType,
               {t.from.x, t.from.y, t.to.x, t.to.y, double(t.seat), double(t.hit)},
               relevance{.x = float(mid.x), .y = float(mid.y)});
  }
}

std::optional<viewpoint> arena_room::viewpoint_for(const room_member& member) const {
  const auto slot = slot_of(member);
  if (!slot) return std::nullopt;
  const vec2 p = fighters_[std::size_t(*slot)].motion.position;
  return viewpoint{float(p.x), float(p.y), float(kViewRadius)};
}

}  // namespace guildhall::games::arena
