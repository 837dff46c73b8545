#include "services/turns/match.hpp"

#include <algorithm>
#include <cctype>

namespace guildhall::services {
namespace {

using store::match_status;

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

bool may_take(const store::match_seat& seat, const player_ref& player) {
  if (seat.user_id != 0) return false;
  return seat.invited.empty() ||
         std::ranges::any_of(seat.invited, [&](const std::string& name) { return same_name(name, player.username); });
}

}  // namespace

match::match(const turn_game& game, store::match_record record, std::unique_ptr<game_state> state,
             std::vector<store::move_record> moves)
    : game_(&game),
      record_(std::move(record)),
      state_(std::move(state)),
      moves_(std::move(moves)),
      away_since_ms_(record_.seats.size(), -1) {}

result<match> match::create(const turn_game& game, store::match_record header, std::int64_t now_ms) {
  game_options options;
  for (const auto& [key, value] : header.options) options.emplace(key, value);
  auto state = game.create(options);
  if (!state) return fail(errc::invalid_argument, state.error());
  header.seats.resize(static_cast<std::size_t>(game.seats()));
  header.status = match_status::open;
  header.state = (*state)->serialize();
  header.ply = 0;
  header.to_move = -1;
  header.clock_ms.assign(header.seats.size(), header.initial_ms);
  header.created_at_ms = header.updated_at_ms = header.turn_started_at_ms = now_ms;
  match created(game, std::move(header), std::move(*state), {});
  if (std::ranges::all_of(created.record_.seats, [](const auto& seat) { return seat.user_id != 0; })) {
    created.start(now_ms);
  }
  return created;
}

result<match> match::restore(const turn_game& game, store::match_record record, std::vector<store::move_record> moves) {
  auto state = game.restore(record.state);
  if (!state) return fail(errc::internal, "match " + std::to_string(record.id) + ": " + state.error());
  record.seats.resize(static_cast<std::size_t>(game.seats()));
  record.clock_ms.resize(record.seats.size(), record.initial_ms);
  return match(game, std::move(record), std::move(*state), std::move(moves));
}

bool match::live() const { return record_.status == match_status::open || record_.status == match_status::active; }

int match::seat_of(std::uint64_t user_id) const {
  for (std::size_t seat = 0; seat < record_.seats.size(); ++seat) {
    if (record_.seats[seat].user_id == user_id) return static_cast<int>(seat);
  }
  return -1;
}

bool match::may_see(std::uint64_t user_id, std::string_view username) const { return may_see(record_, user_id, username); }

bool match::may_see(const store::match_record& record, std::uint64_t user_id, std::string_view username) {
  if (std::ranges::any_of(record.seats, [&](const auto& seat) { return seat.user_id == user_id; })) return true;
  const player_ref asking{user_id, std::string(username), false, 0};
  return std::ranges::any_of(record.seats, [&](const auto& seat) { return may_take(seat, asking); });
}

bool match::set_present(std::uint64_t user_id, bool present, std::int64_t now_ms) {
  const int seat = seat_of(user_id);
  if (seat < 0 || record_.status != match_status::open) return false;
  auto& since = away_since_ms_[static_cast<std::size_t>(seat)];
  if ((since < 0) == present) return false;
  since = present ? -1 : now_ms;
  return true;
}

bool match::seated_players_present() const {
  for (std::size_t seat = 0; seat < record_.seats.size(); ++seat) {
    if (record_.seats[seat].user_id != 0 && !record_.seats[seat].bot && away_since_ms_[seat] >= 0) return false;
  }
  return true;
}

int match::bot_to_move() const {
  if (!active()) return -1;
  return record_.seats[static_cast<std::size_t>(record_.to_move)].bot ? record_.to_move : -1;
}

void match::start(std::int64_t now_ms) {
  record_.status = match_status::active;
  record_.to_move = state_->to_move();
  record_.clock_ms.assign(record_.seats.size(), record_.initial_ms);
  record_.turn_started_at_ms = record_.updated_at_ms = now_ms;
  // A custom start position may already be over (a stalemate FEN): end it at once rather than wait for a move.
  if (auto over = state_->outcome()) finish(over->winner.value_or(-1), over->reason, now_ms);
}

result<int> match::join(const player_ref& player, std::int64_t now_ms) {
  if (record_.status != match_status::open) return fail(errc::match_closed, "the match is not open");
  if (seat_of(player.user_id) >= 0) return fail(errc::match_closed, "you are already in this match");
  for (std::size_t seat = 0; seat < record_.seats.size(); ++seat) {
    auto& place = record_.seats[seat];
    if (!may_take(place, player)) continue;
    place = store::match_seat{player.user_id, player.username, player.bot, player.rating, {}};
    away_since_ms_[seat] = -1;  // joining takes a connection
    record_.updated_at_ms = now_ms;
    if (std::ranges::all_of(record_.seats, [](const auto& taken) { return taken.user_id != 0; })) start(now_ms);
    return static_cast<int>(seat);
  }
  const bool invite_only = std::ranges::any_of(record_.seats, [](const auto& s) { return !s.invited.empty(); });
  return fail(errc::match_closed, invite_only ? "this match is by invitation" : "the match is full");
}

result<void> match::leave_open(std::uint64_t user_id, std::int64_t now_ms) {
  if (record_.status != match_status::open) return fail(errc::match_closed, "the match has started: resign instead");
  const int seat = seat_of(user_id);
  if (seat < 0) return fail(errc::not_player, "you have no seat in this match");
  record_.seats[static_cast<std::size_t>(seat)].user_id = 0;
  record_.seats[static_cast<std::size_t>(seat)].username.clear();
  away_since_ms_[static_cast<std::size_t>(seat)] = -1;
  record_.updated_at_ms = now_ms;
  if (std::ranges::none_of(record_.seats, [](const auto& taken) { return taken.user_id != 0; })) {
    abort_now("cancelled", now_ms);
  }
  return {};
}

result<int> match::require_active_player(std::uint64_t user_id) const {
  const int seat = seat_of(user_id);
  if (seat < 0) return fail(errc::not_player, "you are not playing in this match");
  if (record_.status == match_status::open) return fail(errc::match_closed, "the match is waiting for players");
  if (record_.status != match_status::active) return fail(errc::match_closed, "the match is over");
  return seat;
}

result<store::move_record> match::play(std::uint64_t user_id, std::string_view move,
                                       std::optional<std::uint32_t> expected_ply,
                                       std::int64_t now_ms) {
  auto seat = require_active_player(user_id);
  if (!seat) return std::unexpected(seat.error());
  if (expected_ply && *expected_ply != record_.ply) {
    return fail(errc::not_your_turn, "the position has changed: " + std::to_string(record_.ply) + " moves were made");
  }
  if (*seat != record_.to_move) return fail(errc::not_your_turn, "it is not your turn");
  // expire() ends the match when the flag falls; this only guards callers that skipped it.
  if (record_.initial_ms > 0 && remaining_ms(*seat, now_ms) <= 0) return fail(errc::match_closed, "your time ran out");
  auto accepted = state_->apply(move);
  if (!accepted) return fail(errc::illegal_move, accepted.error());

  auto& clock = record_.clock_ms[static_cast<std::size_t>(*seat)];
  if (record_.initial_ms > 0) clock = remaining_ms(*seat, now_ms) + record_.increment_ms;
  ++record_.ply;
  moves_.push_back(store::move_record{record_.id, record_.ply, *seat, std::move(accepted->canonical),
                                      std::move(accepted->display), now_ms, clock});
  if (record_.draw_offered_by >= 0 && record_.draw_offered_by != *seat) record_.draw_offered_by = -1;
  record_.turn_started_at_ms = record_.updated_at_ms = now_ms;
  record_.state = state_->serialize();
  if (auto over = state_->outcome()) {
    finish(over->winner.value_or(-1), over->reason, now_ms);
  } else {
    record_.to_move = state_->to_move();
  }
  return moves_.back();
}

result<void> match::resign(std::uint64_t user_id, std::int64_t now_ms) {
  auto seat = require_active_player(user_id);
  if (!seat) return std::unexpected(seat.error());
  finish_by_default(*seat, "resignation", now_ms);
  return {};
}

result<void> match::offer_draw(std::uint64_t user_id, std::int64_t now_ms) {
  auto seat = require_active_player(user_id);
  if (!seat) return std::unexpected(seat.error());
  if (record_.draw_offered_by >= 0 && record_.draw_offered_by != *seat) return accept_draw(user_id, now_ms);
  record_.draw_offered_by = *seat;
  record_.updated_at_ms = now_ms;
  return {};
}

result<void> match::accept_draw(std::uint64_t user_id, std::int64_t now_ms) {
  auto seat = require_active_player(user_id);
  if (!seat) return std::unexpected(seat.error());
  if (record_.draw_offered_by < 0 || record_.draw_offered_by == *seat) {
    return fail(errc::invalid_argument, "there is no draw offer from your opponent");
  }
  finish(-1, "agreement", now_ms);
  return {};
}

result<void> match::decline_draw(std::uint64_t user_id, std::int64_t now_ms) {
  auto seat = require_active_player(user_id);
  if (!seat) return std::unexpected(seat.error());
  if (record_.draw_offered_by < 0 || record_.draw_offered_by == *seat) {
    return fail(errc::invalid_argument, "there is no draw offer from your opponent");
  }
  record_.draw_offered_by = -1;
  record_.updated_at_ms = now_ms;
  return {};
}

result<void> match::abort(std::uint64_t user_id, std::int64_t now_ms) {
  if (record_.status == match_status::open && seat_of(user_id) >= 0) {
    abort_now("cancelled", now_ms);
    return {};
  }
  if (auto seat = require_active_player(user_id); !seat) return std::unexpected(seat.error());
  if (record_.ply >= 2) return fail(errc::match_closed, "both players have moved: resign or offer a draw instead");
  abort_now("aborted", now_ms);
  return {};
}

bool match::expire(std::int64_t now_ms, const turns_config& config) {
  if (record_.status == match_status::open) {
    if (config.open_match_ttl_ms > 0 && now_ms - record_.created_at_ms >= config.open_match_ttl_ms) {
      abort_now("nobody joined", now_ms);
      return true;
    }
    // Nobody should join a match whose creator has gone: after a while away it is withdrawn.
    const bool gone = std::ranges::any_of(away_since_ms_, [&](std::int64_t since) {
      return since >= 0 && now_ms - since >= config.open_match_offline_ttl_ms;
    });
    if (config.open_match_offline_ttl_ms <= 0 || !gone) return false;
    abort_now("creator offline", now_ms);
    return true;
  }
  if (record_.status != match_status::active) return false;
  const int seat = record_.to_move;
  if (record_.initial_ms > 0) {
    // Before its first move a seat's clock stands still, so only this deadline keeps it from stalling for ever.
    if (!has_moved(seat)) {
      if (now_ms - record_.turn_started_at_ms < config.first_move_deadline_ms) return false;
      abort_now("no first move", now_ms);
      return true;
    }
    if (remaining_ms(seat, now_ms) > 0) return false;
    finish_by_default(seat, "time", now_ms);
    return true;
  }
  if (config.move_deadline_ms <= 0 || now_ms - record_.turn_started_at_ms < config.move_deadline_ms) return false;
  if (record_.ply < 2) {
    abort_now("abandoned before it began", now_ms);
  } else {
    finish_by_default(seat, "abandoned", now_ms);
  }
  return true;
}

bool match::has_moved(int seat) const {
  return std::ranges::any_of(moves_, [seat](const store::move_record& move) { return move.seat == seat; });
}

bool match::clock_running() const {
  return record_.initial_ms > 0 && active() && record_.to_move >= 0 && has_moved(record_.to_move);
}

std::int64_t match::remaining_ms(int seat, std::int64_t now_ms) const {
  const auto stored = record_.clock_ms[static_cast<std::size_t>(seat)];
  if (seat != record_.to_move || !clock_running()) return stored;
  return std::max<std::int64_t>(0, stored - (now_ms - record_.turn_started_at_ms));
}

void match::resume_after_restart(std::int64_t now_ms) {
  if (active()) record_.turn_started_at_ms = now_ms;
  if (record_.status != match_status::open) return;
  for (std::size_t seat = 0; seat < record_.seats.size(); ++seat) {
    if (record_.seats[seat].user_id != 0 && !record_.seats[seat].bot) away_since_ms_[seat] = now_ms;
  }
}

std::string match::view_for(int viewer) const { return state_->view_for(viewer); }

std::vector<std::string> match::legal_moves() const { return active() ? state_->legal_moves() : std::vector<std::string>{}; }

// The loser's opponent wins, unless they could never win (chess: a lone king): then it is a draw. With more
// than two seats nobody wins by default.
void match::finish_by_default(int loser, std::string reason, std::int64_t now_ms) {
  int winner = -1;
  if (record_.seats.size() == 2) {
    const int other = 1 - loser;
    if (reason != "time" || state_->can_win(other)) winner = other;
    else reason = "time, and the opponent cannot win";
  }
  finish(winner, std::move(reason), now_ms);
}

void match::finish(int winner, std::string reason, std::int64_t now_ms) {
  if (active() && record_.to_move >= 0) {
    record_.clock_ms[static_cast<std::size_t>(record_.to_move)] = remaining_ms(record_.to_move, now_ms);
  }
  record_.status = match_status::finished;
  record_.winner = winner;
  record_.result_reason = std::move(reason);
  record_.to_move = -1;
  record_.draw_offered_by = -1;
  record_.updated_at_ms = now_ms;
}

void match::abort_now(std::string reason, std::int64_t now_ms) {
  finish(-1, std::move(reason), now_ms);
  record_.status = match_status::aborted;
}

}  // namespace guildhall::services
