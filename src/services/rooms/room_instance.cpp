#include "services/rooms/room_instance.hpp"

#include <algorithm>

#include "services/rooms/room_metrics.hpp"
#include "wire/snapshot/schema_json.hpp"

namespace guildhall::services {
namespace {

// What a room type may ask for. Beyond these a type is a mistake, not a game: refuse it at creation.
constexpr int kMaxPlayers = 256;
constexpr int kMaxSpectators = 1024;
constexpr int kMaxInputsPerTick = 64;
constexpr std::size_t kMaxInputBytes = 1024;
constexpr std::size_t kMinSnapshotBudget = 64;
constexpr std::size_t kMaxSnapshotBudget = 64 * 1024;

result<void> check_settings(const room_settings& s) {
  if (s.tick_hz < tick_schedule::kMinHz || s.tick_hz > tick_schedule::kMaxHz) {
    return fail(errc::internal, "room type tick_hz must be 1..128");
  }
  if (s.max_players < 1 || s.max_players > kMaxPlayers || s.max_spectators < 0 || s.max_spectators > kMaxSpectators) {
    return fail(errc::internal, "room type max_players must be 1..256 and max_spectators 0..1024");
  }
  if (s.max_inputs_per_tick < 1 || s.max_inputs_per_tick > kMaxInputsPerTick || s.max_input_bytes < 1 ||
      s.max_input_bytes > kMaxInputBytes) {
    return fail(errc::internal, "room type max_inputs_per_tick must be 1..64 and max_input_bytes 1..1024");
  }
  if (s.snapshot_budget_bytes < kMinSnapshotBudget || s.snapshot_budget_bytes > kMaxSnapshotBudget) {
    return fail(errc::internal, "room type snapshot_budget_bytes must be 64..65536");
  }
  return {};
}

std::string clipped(std::string_view text, std::size_t max) { return std::string(text.substr(0, max)); }

}  // namespace

result<std::unique_ptr<room_instance>> room_instance::create(params p, room_sink& sink) {
  if (!p.type) return fail(errc::room_not_found, "no room type");
  // This room's settings: the type's, or what it makes of the options (a tick rate chosen at creation).
  const room_settings settings = p.type->settings_for(p.options);
  if (auto valid = check_settings(settings); !valid) return std::unexpected(valid.error());
  if (auto valid = wire::snapshot::validate_schema(p.type->schema()); !valid) {
    return fail(errc::internal, "room type '" + std::string(p.type->name()) + "' has an unusable schema: " + valid.error());
  }
  const room_options options = std::move(p.options);
  std::unique_ptr<room_instance> made(new room_instance(std::move(p), settings, sink));
  auto handler = made->type_.create(options, *made);
  if (!handler) {
    return fail(errc::room_refused, handler.error().empty() ? "the game refused these options" : handler.error());
  }
  made->handler_ = std::move(*handler);
  made->settle(true);
  return made;
}

room_instance::room_instance(params p, const room_settings& settings, room_sink& sink)
    : id_(p.id),
      type_(*p.type),
      settings_(settings),
      timing_(p.timing),
      sink_(sink),
      schedule_(p.spread_tick_phase ? tick_schedule::spread_start(p.now_us, settings_.tick_hz, p.id) : p.now_us,
                settings_.tick_hz),
      random_(p.seed),
      frame_(p.type->schema()),
      builder_(settings_.snapshot_budget_bytes),
      invited_(p.invited.begin(), p.invited.end()),
      private_(p.is_private),
      label_(label_fields{}),
      empty_since_ms_(p.now_us / 1000),
      now_us_(p.now_us) {}

room_instance::~room_instance() = default;

std::size_t room_instance::free_seats() const {
  const std::size_t held = players_ + reservations_.size();
  const auto seats = static_cast<std::size_t>(settings_.max_players);
  return held >= seats ? 0 : seats - held;
}

std::vector<member_state*> room_instance::members() {
  std::vector<member_state*> out;
  for (auto& m : members_) out.push_back(m.get());
  return out;
}

const member_state* room_instance::member(std::uint64_t user_id) const {
  for (const auto& m : members_) {
    if (m->who.user_id == user_id) return m.get();
  }
  return nullptr;
}

// ---- Membership ----------------------------------------------------------------------------------------------

result<void> room_instance::admit(const join_request& request) const {
  if (finished_ || ending_) return fail(errc::room_not_found, "the room has ended");
  if (locked_) return fail(errc::room_full, "the room is locked");
  if (private_ && request.reservation.empty() && !invited_.contains(request.user_id)) {
    return fail(errc::room_full, "the room is private (invitation only)");
  }
  if (request.spectate && spectators_ >= static_cast<std::size_t>(settings_.max_spectators)) {
    return fail(errc::room_full, "the room has no place for another spectator");
  }
  return {};
}

result<int> room_instance::take_seat(const join_request& request, std::int64_t now_ms) {
  if (request.spectate) return -1;
  if (!request.reservation.empty()) {
    const auto it = std::find_if(reservations_.begin(), reservations_.end(), [&](const reservation& r) {
      return r.user_id == request.user_id && r.token == request.reservation && r.expires_ms > now_ms;
    });
    if (it == reservations_.end()) return fail(errc::room_full, "the reservation is not valid (expired or not yours)");
  } else if (free_seats() == 0) {
    return fail(errc::room_full, "the room is full");
  }
  std::vector<char> taken(static_cast<std::size_t>(settings_.max_players), 0);
  for (const auto& m : members_) {
    if (m->who.seat >= 0) taken[static_cast<std::size_t>(m->who.seat)] = 1;
  }
  const auto free = std::find(taken.begin(), taken.end(), 0);
  if (free == taken.end()) return fail(errc::room_full, "the room is full");
  return static_cast<int>(free - taken.begin());
}

result<room_instance::joined> room_instance::join(const join_request& request, std::int64_t now_us) {
  const std::int64_t now_ms = now_us / 1000;
  for (auto& m : members_) {
    if (m->who.user_id != request.user_id) continue;
    if (finished_) break;
    // Coming back: the seat was kept. Another connection of a connected member takes over the same way.
    const bool was_dropped = !m->connected;
    m->connected = true;
    m->active = false;
    m->inputs.reset();
    m->view.reset();
    bool lost = false;
    events_.since(m->delivered_seq, m->who.user_id, lost);
    if (was_dropped) {
      member_event(member_change::returned, *m);
      handler_->on_leave(m->who, leave_kind::returned);
      settle(true);
    }
    return joined{m->who, true, m->delivered_seq + 1, lost};
  }
  if (auto admitted = admit(request); !admitted) return std::unexpected(admitted.error());
  auto seat = take_seat(request, now_ms);
  if (!seat) return std::unexpected(seat.error());
  room_member who{request.user_id, request.username, *seat, request.spectate, false};
  if (auto accepted = handler_->on_join(who); !accepted) {
    settle(true);
    return fail(errc::room_refused, accepted.error().empty() ? "the game refused the join" : accepted.error());
  }
  if (!request.reservation.empty()) {
    std::erase_if(reservations_, [&](const reservation& r) { return r.token == request.reservation; });
  }
  auto& m = *members_.emplace_back(std::make_unique<member_state>(who, settings_));
  m.delivered_seq = events_.next_seq() - 1;
  if (who.spectator) {
    ++spectators_;
  } else {
    ++players_;
  }
  const std::uint64_t first_seq = m.delivered_seq + 1;
  member_event(member_change::joined, m);
  settle(true);
  return joined{who, false, first_seq, false};
}

void room_instance::activate(std::uint64_t user_id) {
  for (auto& m : members_) {
    if (m->who.user_id != user_id || !m->connected) continue;
    bool lost = false;
    for (const room_event* event : events_.since(m->delivered_seq, user_id, lost)) sink_.event(user_id, *event);
    m->delivered_seq = events_.next_seq() - 1;
    m->active = true;
    m->view.reset();
    return;
  }
}

void room_instance::leave(std::uint64_t user_id, std::int64_t now_us) {
  now_us_ = std::max(now_us_, now_us);
  if (member(user_id) == nullptr) return;
  remove(user_id, room_exit::ended, {});
  settle(true);
}

void room_instance::drop(std::uint64_t user_id, std::int64_t now_us) {
  for (auto& m : members_) {
    if (m->who.user_id != user_id || !m->connected) continue;
    if (m->who.spectator) {
      remove(user_id, room_exit::ended, {});  // a spectator keeps nothing: it simply rejoins
    } else {
      m->connected = false;
      m->active = false;
      m->dropped_at_ms = now_us / 1000;
      m->inputs.reset();
      member_event(member_change::dropped, *m);
      handler_->on_leave(m->who, leave_kind::dropped);
    }
    settle(true);
    return;
  }
}

void room_instance::remove(std::uint64_t user_id, room_exit why, std::string_view message) {
  const auto it = std::find_if(members_.begin(), members_.end(), [&](const auto& m) { return m->who.user_id == user_id; });
  if (it == members_.end()) return;
  std::unique_ptr<member_state> gone = std::move(*it);
  members_.erase(it);
  if (gone->who.spectator) {
    --spectators_;
  } else {
    --players_;
  }
  gone->connected = false;
  member_event(member_change::left, *gone);
  handler_->on_leave(gone->who, leave_kind::left);
  if (!message.empty() || why != room_exit::ended) sink_.exited(user_id, why, message);
}

result<void> room_instance::reserve(std::uint64_t user_id, std::string token, std::int64_t expires_ms) {
  if (finished_ || ending_) return fail(errc::room_not_found, "the room has ended");
  if (reservations_.size() >= kMaxReservations || free_seats() == 0) return fail(errc::room_full, "no seat to reserve");
  reservations_.push_back({user_id, std::move(token), expires_ms});
  invited_.insert(user_id);
  return {};
}

// ---- Inputs and messages -------------------------------------------------------------------------------------

room_instance::input_outcome room_instance::input(std::uint64_t user_id, std::uint32_t sequence,
                                                  std::uint32_t client_tick, std::uint32_t view_tick,
                                                  std::string& data) {
  for (auto& m : members_) {
    if (m->who.user_id != user_id) continue;
    if (m->who.spectator || !m->connected) return input_outcome::not_player;
    const auto outcome = m->inputs.push(sequence, client_tick, view_tick, data);
    if (outcome == input_queue::outcome::queued) {
      rooms_metrics().inputs.add();
      return input_outcome::queued;
    }
    const input_drop why = outcome == input_queue::outcome::duplicate ? input_drop::duplicate
                           : outcome == input_queue::outcome::stale   ? input_drop::stale
                           : outcome == input_queue::outcome::oversize ? input_drop::oversize
                                                                       : input_drop::backlog_full;
    ++stats_.inputs_dropped[static_cast<std::size_t>(why)];
    // input_drop and input_drop_reason share their first values.
    rooms_metrics().inputs_dropped.add(static_cast<std::size_t>(why));
    return input_outcome::dropped;
  }
  return input_outcome::not_player;
}

void room_instance::acknowledge(std::uint64_t user_id, std::uint32_t tick) {
  for (auto& m : members_) {
    if (m->who.user_id == user_id) return m->view.acknowledge(tick);
  }
}

result<void> room_instance::message(std::uint64_t user_id, std::string_view type, std::string_view payload) {
  for (auto& m : members_) {
    if (m->who.user_id != user_id || !m->connected) continue;
    handler_->on_message(m->who, type, payload);
    settle(true);
    return {};
  }
  return fail(errc::not_member, "not in this room");
}

// ---- Ticks ---------------------------------------------------------------------------------------------------

std::int64_t room_instance::run_due(std::int64_t now_us) {
  schedule_.begin_wake(now_us);
  while (!finished_) {
    const auto due = schedule_.take(now_us);
    if (!due) break;
    run_tick(*due);
  }
  stats_.ticks = schedule_.ticks_run();
  stats_.late_ticks = schedule_.late_ticks();
  stats_.stalls = schedule_.stalls();
  if (!finished_) expire(now_us / 1000);
  return schedule_.next_due_us();
}

void room_instance::run_tick(const tick_schedule::due_tick& due) {
  tick_ = due.tick;
  now_us_ = due.due_us;
  rooms_metrics().ticks.add();
  if (due.late) rooms_metrics().late_ticks.add();
  for (auto& m : members_) {
    if (m->who.spectator || !m->connected) continue;
    for (const auto& queued : m->inputs.take()) {
      const player_input input{queued.sequence, queued.client_tick, queued.view_tick,
                               std::span(reinterpret_cast<const std::uint8_t*>(queued.data.data()), queued.data.size())};
      handler_->on_input(m->who, input);
    }
  }
  handler_->on_tick();
  frame_.clear();
  handler_->write_world(frame_);
  frame_.finish();
  if (const auto rejected = frame_.rejected(); rejected != stats_.entities_rejected) {
    rooms_metrics().entities_rejected.add(0, rejected - stats_.entities_rejected);
    stats_.entities_rejected = rejected;
  }
  settle(false);  // kicks now; an end after this tick's snapshots, so clients see the final state
  send_snapshots();
  settle(true);
}

void room_instance::send_snapshots() {
  for (auto& m : members_) {
    if (!m->active || !m->connected) continue;
    const auto view = handler_->viewpoint_for(m->who);
    scratch_.clear();
    const auto built = builder_.build(frame_, tick_, m->view, m->who.user_id, view, scratch_);
    stats_.snapshot_bytes += built.bytes;
    rooms_metrics().snapshot_bytes.add(0, built.bytes);
    rooms_metrics().snapshots_sent.add();
    sink_.snapshot(m->who.user_id, tick_, built.baseline_tick, scratch_);
  }
}

void room_instance::expire(std::int64_t now_ms) {
  std::vector<std::uint64_t> gone;
  for (const auto& m : members_) {
    if (!m->connected && now_ms - m->dropped_at_ms >= timing_.reconnect_grace_ms) gone.push_back(m->who.user_id);
  }
  for (const auto user_id : gone) {
    remove(user_id, room_exit::grace_expired, "did not come back within the reconnection grace");
  }
  std::erase_if(reservations_, [now_ms](const reservation& r) { return r.expires_ms <= now_ms; });
  settle(true);
  if (finished_) return;
  if (players_ > 0 || !reservations_.empty()) {
    empty_since_ms_ = -1;
  } else if (empty_since_ms_ < 0) {
    empty_since_ms_ = now_ms;
  } else if (now_ms - empty_since_ms_ >= timing_.empty_dispose_ms) {
    for (const auto& m : members_) sink_.exited(m->who.user_id, room_exit::disposed, "the room had no players");
    finished_ = true;
  }
}

// ---- What the handler asks for -------------------------------------------------------------------------------

void room_instance::emit(room_event event) {
  const room_event& logged = events_.append(std::move(event));
  for (auto& m : members_) {
    if (!m->active || !m->connected) continue;
    if (logged.to_user == 0 || logged.to_user == m->who.user_id) sink_.event(m->who.user_id, logged);
    m->delivered_seq = logged.seq;
  }
}

void room_instance::member_event(member_change change, const member_state& m) {
  room_event event;
  event.change = change;
  event.member = m.who;
  event.connected = m.connected;
  emit(std::move(event));
}

void room_instance::broadcast(std::string_view type, std::string_view payload) {
  if (finished_) return;
  room_event event;
  event.type = clipped(type, kMaxEventTypeBytes);
  event.payload = clipped(payload, kMaxEventPayloadBytes);
  emit(std::move(event));
}

void room_instance::send(std::uint64_t user_id, std::string_view type, std::string_view payload) {
  if (finished_ || user_id == 0) return;
  room_event event;
  event.to_user = user_id;
  event.type = clipped(type, kMaxEventTypeBytes);
  event.payload = clipped(payload, kMaxEventPayloadBytes);
  emit(std::move(event));
}

void room_instance::set_label(std::string json_object) {
  auto parsed = parse_label(json_object);
  if (!parsed) return;  // not a flat JSON object within kMaxLabelBytes: the old label stays
  label_ = std::move(*parsed);
  label_json_ = std::move(json_object);
}

void room_instance::set_locked(bool locked) { locked_ = locked; }

void room_instance::kick(std::uint64_t user_id, std::string_view reason) {
  kicks_.emplace_back(user_id, clipped(reason, kMaxEventPayloadBytes));
}

void room_instance::end(std::string_view reason) {
  if (!ending_) ending_ = clipped(reason, kMaxEventPayloadBytes);
}

void room_instance::settle(bool allow_end) {
  // A kicked member's on_leave may kick someone else: go on until no kick is left (each removes a member, so
  // this ends).
  while (!kicks_.empty()) {
    auto [user_id, reason] = std::move(kicks_.front());
    kicks_.erase(kicks_.begin());
    remove(user_id, room_exit::kicked, reason.empty() ? "kicked" : reason);
  }
  if (!allow_end || !ending_ || finished_) return;
  for (const auto& m : members_) sink_.exited(m->who.user_id, room_exit::ended, *ending_);
  finished_ = true;
}

}  // namespace guildhall::services
