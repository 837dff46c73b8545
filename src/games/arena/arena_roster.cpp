// Who is in an arena match: people in the slot of their seat, bots in the free slots, spawning at a free spawn
// point, and the room's label.
#include <algorithm>
#include <limits>

#include "games/arena/arena_events.hpp"
#include "games/arena/arena_room.hpp"

namespace guildhall::games::arena {

std::optional<int> arena_room::slot_of(const room_member& member) const {
  if (member.spectator || member.seat < 0 || member.seat >= kMaxFighters) return std::nullopt;
  const fighter& f = fighters_[std::size_t(member.seat)];
  if (!f.present || f.bot || f.user_id != member.user_id) return std::nullopt;
  return member.seat;
}

std::expected<void, room_refusal> arena_room::on_join(const room_member& member) {
  if (member.spectator) return {};
  if (state_ == match_state::over) return std::unexpected("the match is over");
  if (member.seat < 0 || member.seat >= kMaxFighters) {
    return std::unexpected("the arena has " + std::to_string(kMaxFighters) + " places and seat " +
                           std::to_string(member.seat) + " is not one of them");
  }
  const fighter& there = fighters_[std::size_t(member.seat)];
  if (there.present && !there.bot) return std::unexpected("that place in the arena is taken");
  seat_person(member.seat, member);
  return {};
}

void arena_room::on_leave(const room_member& member, leave_kind why) {
  const auto slot = slot_of(member);
  if (!slot) return;
  fighter& f = fighters_[std::size_t(*slot)];
  switch (why) {
    case leave_kind::dropped:
      // The body stays in the match (and can be shot) but stops: no stale buttons held down for 20 seconds.
      f.connected = false;
      f.buttons = 0;
      f.fire.reset();
      break;
    case leave_kind::returned:
      f.connected = true;
      break;
    case leave_kind::left:
      f = fighter{};
      fill_with_bots();
      update_label();
      break;
  }
}

void arena_room::seat_person(int slot, const room_member& member) {
  make_room_for(slot);
  fighter& f = fighters_[std::size_t(slot)];
  f = fighter{};
  f.present = true;
  f.user_id = member.user_id;
  f.name = member.username.substr(0, 4 * kMaxNameBytes);  // json_name cuts it on a character boundary
  spawn(slot);
  fill_with_bots();
  update_label();
}

// A person needs `slot`: the bot in it moves to a free slot if the room still wants that many bots, or goes.
void arena_room::make_room_for(int slot) {
  fighter& bot = fighters_[std::size_t(slot)];
  if (!bot.present || !bot.bot) return;
  const int bots_wanted = std::min(config_.bots, kMaxFighters - (people() + 1));
  const int bots_now = fighters() - people();
  for (int free = kMaxFighters - 1; free >= 0 && bots_now <= bots_wanted; --free) {
    if (free == slot || fighters_[std::size_t(free)].present) continue;
    fighters_[std::size_t(free)] = std::move(bot);
    fighters_[std::size_t(free)].life = ++lives_;  // a new entity: old rewinds must not hit it
    break;
  }
  bot = fighter{};
}

// Bots take the highest free slots (people are seated from 0 up) until there are as many as asked for, leaving
// room for the people present.
void arena_room::fill_with_bots() {
  const int bots_wanted = std::min(config_.bots, kMaxFighters - people());
  int bots_now = fighters() - people();
  for (int slot = kMaxFighters - 1; slot >= 0 && bots_now < bots_wanted; --slot) {
    fighter& f = fighters_[std::size_t(slot)];
    if (f.present) continue;
    f = fighter{};
    f.present = true;
    f.bot = true;
    f.name = "bot " + std::to_string(++bots_made_);
    f.brain.emplace(random_());
    spawn(slot);
    ++bots_now;
  }
}

// Brings slot to life at a free spawn point (nobody alive within kSpawnClearance), chosen at random; if none is
// free, the one furthest from everybody.
void arena_room::spawn(int slot) {
  std::array<std::size_t, 16> free{};
  std::size_t free_count = 0, furthest = 0;
  double furthest_gap = -1;
  for (std::size_t i = 0; i < map_.spawns.size(); ++i) {
    double gap = std::numeric_limits<double>::max();
    for (int other = 0; other < kMaxFighters; ++other) {
      const fighter& g = fighters_[std::size_t(other)];
      if (other != slot && g.present && g.alive) gap = std::min(gap, distance(g.motion.position, map_.spawns[i]));
    }
    if (gap >= kSpawnClearance && free_count < free.size()) free[free_count++] = i;
    if (gap > furthest_gap) furthest_gap = gap, furthest = i;
  }
  const std::size_t pick =
      free_count > 0 ? free[std::uniform_int_distribution<std::size_t>(0, free_count - 1)(random_)] : furthest;

  fighter& f = fighters_[std::size_t(slot)];
  f.motion = body{map_.spawns[pick], {}};
  const vec2 to_centre = vec2{map_.width / 2, map_.height / 2} - f.motion.position;
  f.aim = quantize_aim(std::atan2(to_centre.y, to_centre.x));
  f.health = kMaxHealth;
  f.alive = true;
  f.life = ++lives_;
  f.fire.reset();
  f.ready_tick = context_.tick();
}

int arena_room::people() const {
  return int(std::count_if(fighters_.begin(), fighters_.end(), [](const fighter& f) { return f.present && !f.bot; }));
}

int arena_room::fighters() const {
  return int(std::count_if(fighters_.begin(), fighters_.end(), [](const fighter& f) { return f.present; }));
}

void arena_room::update_label() {
  std::string label = R"({"mode":"ffa","map":"yard","players":)" + std::to_string(people()) +
                      ",\"bots\":" + std::to_string(fighters() - people()) + "}";
  if (label == label_) return;
  label_ = label;
  context_.set_label(std::move(label));
}

}  // namespace guildhall::games::arena
