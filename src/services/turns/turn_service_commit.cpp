// How a change to a match becomes durable and known: apply in memory, write through the group commit, then
// (back on the match's shard, in commit order) answer, push the events, notify absent players, and let a bot
// think. Also the clock sweep, bots, and recovery after a failed write.
#include <spdlog/spdlog.h>

#include "services/delivery.hpp"
#include "services/service_metrics.hpp"
#include "services/turns/match_messages.hpp"
#include "services/turns/rating_update.hpp"
#include "services/turns/turn_service.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

bool ends_rated_game(const match& game) {
  const auto& record = game.record();
  if (record.status != store::match_status::finished || !record.rated) return false;
  return std::ranges::none_of(record.seats, [](const auto& seat) { return seat.bot; });
}

std::string opponents_of(const store::match_record& record, int seat) {
  std::string names;
  for (std::size_t other = 0; other < record.seats.size(); ++other) {
    if (static_cast<int>(other) == seat) continue;
    names += (names.empty() ? "" : ", ") + record.seats[other].username;
  }
  return names;
}

}  // namespace

void turn_service::change_match(live_match& live, const identity& who, const connection_ptr& connection,
                                std::uint32_t cid, v1::MatchEvent::Kind event, change apply,
                                std::optional<v1::Envelope> reply_instead) {
  if (live.recovering) return reply_error(connection, cid, {errc::internal, "the match is being reloaded: try again"});
  const std::int64_t now = unix_now_ms();
  if (live.game.expire(now, config_)) end_by_expiry(live, now);
  const bool was_live = live.game.live();
  if (auto applied = apply(live.game, now); !applied) return reply_error(connection, cid, applied.error());

  outcome done;
  done.event = event;
  if (event == v1::MatchEvent::PLAYER_JOINED && live.game.active()) done.event = v1::MatchEvent::STARTED;
  if (event != v1::MatchEvent::MOVED && was_live && !live.game.live()) done.event = v1::MatchEvent::ENDED;
  if (event == v1::MatchEvent::MOVED) done.move = live.game.moves().back();
  done.rate = was_live && ends_rated_game(live.game);
  done.events_by_seat = make_events(done.event, live.game, done.move ? &*done.move : nullptr, now);
  done.reply_to = connection;
  done.cid = cid;
  if (reply_instead) {
    done.reply = std::move(*reply_instead);
  } else if (done.move) {
    v1::Envelope accepted;
    accepted.set_cid(cid);
    accepted.mutable_move_accepted()->set_match_id(live.game.id());
    fill_move(*accepted.mutable_move_accepted()->mutable_move(), *done.move);
    done.reply = std::move(accepted);
  } else {
    const int seat = live.game.seat_of(who.user_id);
    subscribe(live, connection, seat);
    done.reply = make_snapshot(live.game, seat, 0, now, cid);  // the whole match, moves included
  }
  persist(live, std::move(done));
}

void turn_service::end_by_expiry(live_match& live, std::int64_t now_ms) {
  outcome done;
  done.event = v1::MatchEvent::ENDED;
  done.rate = ends_rated_game(live.game);
  done.events_by_seat = make_events(done.event, live.game, nullptr, now_ms);
  persist(live, std::move(done));
}

void turn_service::persist(live_match& live, outcome done) {
  ++live.writes_in_flight;
  const std::uint64_t id = live.game.id();
  // Built before the call: `done` moves into the second argument, and argument order is unspecified.
  store::grouped_work write = [record = live.game.record(), move = done.move, insert = done.insert,
                               rate = done.rate](store::backend& store) {
    result<void> written = insert ? store.insert_match(record)
                           : move ? store.record_move(record, *move)
                                  : store.update_match(record);
    if (written && rate) written = apply_ratings(store, record);
    return written;
  };
  db_.write_grouped(
      std::move(write),
      [this, id, done = std::move(done)](const result<void>& written) mutable {
        shards_.post(match_shard(id), [this, id, done = std::move(done), written]() mutable {
          after_durable(id, std::move(done), written);
        });
      });
}

void turn_service::after_durable(std::uint64_t match_id, outcome done, const result<void>& written) {
  auto* live = find_here(match_id);
  if (!live) return;
  --live->writes_in_flight;
  if (!written || live->recovering) {
    // Memory ran ahead of the store: nobody was told of the change; read the stored match back before going on.
    spdlog::error("match {}: write failed: {}", match_id, written ? "an earlier write failed" : written.error().message);
    reply_error(done.reply_to, done.cid, {errc::internal, "not stored: try again"});
    live->recovering = true;
    if (live->writes_in_flight == 0) recover(match_id);
    return;
  }
  if (done.move) services_metrics().moves.add(series(done.reply_to ? mover::player : mover::bot));
  if (done.reply) reply(done.reply_to, std::move(*done.reply));
  publish(*live, done);
  update_lobby(*live);
  notify_absent_players(*live, done.event);
  ask_bot(*live);
  ask_bot_about_draw(*live);
  run_if_settled(*live);
}

void turn_service::run_if_settled(live_match& live) {
  if (live.writes_in_flight > 0 || live.recovering) return;
  const std::uint64_t id = live.game.id();
  auto waiting = std::move(live.when_settled);
  live.when_settled.clear();
  for (auto& task : waiting) task();
  auto* still = find_here(id);
  if (still && !still->game.live() && still->writes_in_flight == 0 && still->when_settled.empty()) {
    here().matches.erase(id);  // finished: the store has it; OpenMatch reads it from there
    services_metrics().matches_live.add(0, -1);
  }
}

void turn_service::publish(live_match& live, const outcome& done) {
  if (done.events_by_seat.empty()) return;
  // Encoded once per audience and format, on first use.
  std::vector<wire::shared_message> binary(done.events_by_seat.size()), json(done.events_by_seat.size());
  for (const auto& listener : live.subscribers) {
    const auto audience = static_cast<std::size_t>(listener.seat + 1);
    const bool wants_json = listener.connection->format() == wire::payload_format::json;
    auto& encoded = wants_json ? json[audience] : binary[audience];
    if (!encoded) encoded = wire::encode_shared(done.events_by_seat[audience], wants_json);
    send_on_shard(shards_, listener.connection, encoded);
  }
}

void turn_service::notify_absent_players(const live_match& live, v1::MatchEvent::Kind event) {
  const auto& record = live.game.record();
  auto watching = [&](int seat) {
    return std::ranges::any_of(live.subscribers, [seat](const subscriber& s) { return s.seat == seat; });
  };
  if (live.game.active() && (event == v1::MatchEvent::MOVED || event == v1::MatchEvent::STARTED)) {
    const int seat = record.to_move;
    const auto& player = record.seats[static_cast<std::size_t>(seat)];
    if (!player.bot && !watching(seat)) {
      notify(player.user_id, live.game, v1::Notification::YOUR_TURN,
             "your move in " + record.game + " against " + opponents_of(record, seat));
    }
  }
  if (event != v1::MatchEvent::ENDED && (event != v1::MatchEvent::MOVED || live.game.live())) return;
  // The end goes to every player, watching or not: a player whose socket is closing as the game ends may never
  // read the event, and the stored notification is what tells them at their next login.
  for (std::size_t seat = 0; seat < record.seats.size(); ++seat) {
    const auto& player = record.seats[seat];
    if (player.bot || player.user_id == 0) continue;
    const std::string verdict = record.status == store::match_status::aborted ? "was aborted"
                                : record.winner < 0                          ? "ended in a draw"
                                : record.winner == static_cast<int>(seat)    ? "is won"
                                                                             : "is lost";
    notify(player.user_id, live.game, v1::Notification::GAME_OVER,
           record.game + " against " + opponents_of(record, static_cast<int>(seat)) + " " + verdict + " (" +
               record.result_reason + ")");
  }
}

void turn_service::recover(std::uint64_t match_id) {
  db_.read([this, match_id](store::backend& store) {
    on_match(match_id, [this, match_id, restored = read_stored(store, match_id)](live_match* live) mutable {
      if (!live) return;
      if (!restored) {
        spdlog::error("match {}: cannot reload: {}; retrying", match_id, restored.error().message);
        return shards_.post_after(match_shard(match_id), std::chrono::seconds(1), [this, match_id] { recover(match_id); });
      }
      live->game = std::move(*restored);
      live->recovering = false;
      live->bot_thinking = false;
      live->bot_considering_draw = false;
      // The read-back match knows nobody's presence: ask the home shards again, as for a new open match.
      live->indexed_users.clear();
      reindex_open_seats(*live);
      run_if_settled(*live);
    });
  });
}

void turn_service::ask_bot(live_match& live) {
  const int seat = live.game.bot_to_move();
  if (seat < 0 || live.bot_thinking || live.recovering) return;
  live.bot_thinking = true;
  const auto& record = live.game.record();
  bot_job job{record.game,
              seat,
              live.game.view_for(seat),
              live.game.legal_moves(),
              static_cast<std::uint32_t>(record.bot_skill_level),
              static_cast<std::uint32_t>(record.bot_move_time_ms),
              record.id ^ (std::uint64_t{record.ply} * 0x9E3779B97F4A7C15ULL)};
  const std::uint64_t id = record.id;
  const std::uint32_t ply = record.ply;
  bots_.think(std::move(job), [this, id, ply](result<std::string> chosen) {
    shards_.post(match_shard(id), [this, id, ply, chosen = std::move(chosen)]() mutable {
      auto* live = find_here(id);
      if (!live) return;
      live->bot_thinking = false;
      if (live->game.record().ply != ply) return ask_bot(*live);
      if (!chosen) spdlog::warn("match {}: the bot found no move: {}", id, chosen.error().message);
      const identity bot{bot_player_.user_id, bot_player_.username};
      change_match(*live, bot, nullptr, 0, v1::MatchEvent::MOVED,
                   [bot_id = bot.user_id, move = chosen.value_or(""), ply](match& game, std::int64_t now) {
                     auto played = game.play(bot_id, move, ply, now);
                     // A brain that proposes nonsense must not stall the match: fall back to a legal move.
                     if (!played && played.error().code == errc::illegal_move) {
                       if (const auto legal = game.legal_moves(); !legal.empty()) {
                         played = game.play(bot_id, legal.front(), ply, now);
                       }
                     }
                     return played ? result<void>{} : result<void>(std::unexpected(played.error()));
                   });
    });
  });
}

void turn_service::ask_bot_about_draw(live_match& live) {
  const auto& record = live.game.record();
  const int offered_by = record.draw_offered_by;
  if (!live.game.active() || offered_by < 0 || live.bot_considering_draw || live.recovering) return;
  int seat = -1;
  for (std::size_t s = 0; s < record.seats.size(); ++s) {
    if (record.seats[s].bot && static_cast<int>(s) != offered_by) seat = static_cast<int>(s);
  }
  if (seat < 0) return;
  live.bot_considering_draw = true;
  bot_job job{record.game, seat, live.game.view_for(seat), {}, static_cast<std::uint32_t>(record.bot_skill_level),
              static_cast<std::uint32_t>(record.bot_move_time_ms), record.id ^ record.ply};
  const std::uint64_t id = record.id;
  const std::uint32_t ply = record.ply;
  bots_.consider_draw(std::move(job), [this, id, ply, offered_by](draw_answer answer) {
    shards_.post(match_shard(id), [this, id, ply, offered_by, answer] {
      auto* live = find_here(id);
      if (!live) return;
      live->bot_considering_draw = false;
      const auto& now_record = live->game.record();
      if (!live->game.active() || now_record.draw_offered_by != offered_by) return;  // the offer lapsed meanwhile
      if (now_record.ply != ply) return ask_bot_about_draw(*live);  // it stands on a new position: judge that
      const identity bot{bot_player_.user_id, bot_player_.username};
      const bool accept = answer == draw_answer::accept;
      change_match(*live, bot, nullptr, 0, accept ? v1::MatchEvent::ENDED : v1::MatchEvent::DRAW_DECLINED,
                   [bot_id = bot.user_id, accept](match& game, std::int64_t now) {
                     return accept ? game.accept_draw(bot_id, now) : game.decline_draw(bot_id, now);
                   });
    });
  });
}

void turn_service::sweep(unsigned shard) {
  const std::int64_t now = unix_now_ms();
  for (auto& [id, live] : here().matches) {
    if (live->recovering) continue;
    if (live->game.expire(now, config_)) {
      end_by_expiry(*live, now);
    } else {
      ask_bot(*live);  // after a restart, or a bot answer lost to a failed write
      ask_bot_about_draw(*live);
    }
  }
  shards_.post_after(shard, std::chrono::milliseconds(config_.sweep_interval_ms), [this, shard] { sweep(shard); });
}

}  // namespace guildhall::services
