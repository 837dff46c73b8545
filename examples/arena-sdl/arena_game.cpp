#include "arena_game.hpp"

#include <algorithm>
#include <cmath>

#include "games/arena/arena_map.hpp"

namespace guildhall::arena_sdl {

namespace arena = games::arena;

namespace {

client::prediction_model<arena::body, arena::arena_input> arena_model() {
  return {
      [](const arena::body& b, const arena::arena_input& in, double dt) {
        const auto wish = arena::wish_direction(in.held(arena::kUp), in.held(arena::kDown), in.held(arena::kLeft),
                                                in.held(arena::kRight));
        return arena::step_body(arena::yard_map(), b, wish, dt);
      },
      [](const arena::body& a, const arena::body& b) {
        return std::hypot(a.position.x - b.position.x, a.position.y - b.position.y);
      },
      [](const arena::body& a, const arena::body& b, double t) {
        arena::body out = b;
        out.position = {a.position.x + (b.position.x - a.position.x) * t,
                        a.position.y + (b.position.y - a.position.y) * t};
        return out;
      },
  };
}

client::interpolation_config interpolation_for(int tick_hz) {
  client::interpolation_config config;
  config.tick_ms = 1000.0 / tick_hz;
  return config;
}

client::clock_sync_config clock_for(int tick_hz) {
  // No extra margin: an input that arrives early is applied early (the server does not hold it for its tick),
  // which the prediction would see as a constant misprediction.
  return {.tick_ms = 1000.0 / tick_hz, .input_margin_ticks = 0};
}

}  // namespace

arena_game::arena_game(int seat, int tick_hz)
    : seat_(seat),
      tick_s_(1.0 / std::max(1, tick_hz)),
      predictor_(arena_model(), arena::body{}),
      interpolator_(interpolation_for(std::max(1, tick_hz)),
                    [](const world_view& a, const world_view& b, double t) { return lerp_world(a, b, t); }),
      clock_(clock_for(std::max(1, tick_hz))) {}

void arena_game::on_snapshot(std::uint32_t tick, const world_view& world, double now_ms) {
  if (interpolator_.push(tick, world, now_ms) != client::push_result::newest) return;
  clock_.on_snapshot(tick, now_ms);
  newest_ = world;
  newest_tick_ = tick;
  // A snapshot of tick T reflects every input applied up to T: those need no more copies.
  std::erase_if(pending_, [tick](const pending_send& p) { return p.frame.client_tick <= tick; });
  if (seat_ >= 0) reconcile(tick, world, now_ms);
}

void arena_game::reconcile(std::uint32_t tick, const world_view& world, double now_ms) {
  const player_view* me = find_seat(world, seat_);
  if (!me || !me->alive) {
    alive_ = false;
    return;
  }
  const arena::vec2 position{me->x, me->y};
  if (!alive_) {
    // First sighting, or back from the dead: start from the server's word (no smoothing across a respawn).
    predictor_.reset(arena::body{position, {0, 0}}, tick);
    alive_ = true;
    return;
  }
  // Snapshots carry positions only: the velocity the prediction had for T goes with the server's position.
  const auto predicted = predictor_.predicted_at(tick);
  predictor_.reconcile(arena::body{position, predicted ? predicted->velocity : arena::vec2{0, 0}}, tick, now_ms);
}

void arena_game::on_round_trip(double rtt_ms, double now_ms) { clock_.on_round_trip(rtt_ms, now_ms); }

std::optional<outgoing_inputs> arena_game::step(double now_ms, const arena::arena_input& controls) {
  if (seat_ < 0) {
    if (newest_tick_ == 0 || newest_tick_ == acked_sent_) return std::nullopt;
    acked_sent_ = newest_tick_;
    return outgoing_inputs{newest_tick_, {}};
  }
  const auto stamp = clock_.input_tick(now_ms);
  if (!stamp) return std::nullopt;
  const auto target = std::uint32_t(*stamp);
  if (!predicted_tick_ || target > *predicted_tick_ + kMaxCatchUpTicks) predicted_tick_ = target - 1;
  if (target <= *predicted_tick_) return std::nullopt;
  const auto render = interpolator_.clock().render_tick(now_ms);
  const auto view_tick = std::uint32_t(std::max(0.0, std::round(render.value_or(newest_tick_))));
  for (std::uint32_t tick = *predicted_tick_ + 1; tick <= target; ++tick) {
    pending_.push_back({input_frame{++sequence_, tick, view_tick, controls}, 0});
    if (alive_) predictor_.apply(tick, controls, tick_s_);
  }
  predicted_tick_ = target;
  outgoing_inputs out{newest_tick_, {}};
  const std::size_t first = pending_.size() > kMaxInputsPerMessage ? pending_.size() - kMaxInputsPerMessage : 0;
  for (std::size_t i = first; i < pending_.size(); ++i) {
    out.frames.push_back(pending_[i].frame);
    ++pending_[i].copies;
  }
  std::erase_if(pending_, [](const pending_send& p) { return p.copies >= kInputCopies; });
  acked_sent_ = newest_tick_;
  return out;
}

std::optional<arena_frame> arena_game::view(double now_ms) {
  auto sample = interpolator_.sample(now_ms);
  if (!sample) return std::nullopt;
  arena_frame frame;
  frame.render_tick = sample->render_tick;
  frame.shown = sample->from == sample->to ? *sample->to : lerp_world(*sample->from, *sample->to, sample->t);
  frame.newest = &newest_;
  if (seat_ >= 0) {
    if (const player_view* me = find_seat(newest_, seat_)) {
      frame.me = *me;
      if (me->alive && alive_) {
        const auto shown = predictor_.shown(now_ms);
        frame.me->x = shown.position.x;
        frame.me->y = shown.position.y;
      }
    }
    std::erase_if(frame.shown.players, [this](const player_view& p) { return p.seat == seat_; });
  }
  return frame;
}

}  // namespace guildhall::arena_sdl
