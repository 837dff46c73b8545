// The turn service's requests: each finds its match's shard and asks the match; turn_service_commit.cpp makes
// the outcome durable and tells everyone.
#include "services/turns/turn_service.hpp"

#include <algorithm>
#include <future>
#include <random>

#include "services/delivery.hpp"
#include "services/names.hpp"
#include "services/service_metrics.hpp"
#include "services/turns/leaderboard.hpp"
#include "services/turns/match_messages.hpp"
#include "wire/utf8.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

constexpr std::size_t kMaxOptions = 8;
constexpr std::size_t kMaxOptionValueBytes = 512;
constexpr std::uint32_t kMaxIncrementMs = 60'000;
constexpr int kInvitesPerSeat = 4;  // room to invite a few candidates for each seat; the first to join takes it
constexpr std::uint32_t kMyMatchesLimit = 50;

result<void> validate_options(const google::protobuf::Map<std::string, std::string>& options) {
  if (options.size() > kMaxOptions) return fail(errc::invalid_argument, "at most " + std::to_string(kMaxOptions) + " options");
  for (const auto& [key, value] : options) {
    const bool key_ok = !key.empty() && key.size() <= 32 && std::ranges::all_of(key, [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!key_ok) return fail(errc::invalid_argument, "option names are 1..32 characters of a-z 0-9 _");
    if (value.size() > kMaxOptionValueBytes || value.find('\n') != std::string::npos || !wire::is_valid_utf8(value)) {
      return fail(errc::invalid_argument, "option '" + key + "' must be one line of at most 512 bytes of UTF-8");
    }
  }
  return {};
}

}  // namespace

turn_service::turn_service(net::shard_pool& shards, store::database& db, const game_registry& games, bot_runner& bots,
                           player_ref bot_player, push_to_user_fn push_to_user, turns_config config)
    : shards_(shards),
      db_(db),
      games_(games),
      bots_(bots),
      bot_player_(std::move(bot_player)),
      push_to_user_(std::move(push_to_user)),
      config_(std::move(config)) {
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    // Generator ids 128.. keep match ids apart from the chat services' generators (0..shards-1).
    states_.push_back(std::make_unique<shard_state>(128 + shard));
  }
}

turn_service::~turn_service() = default;

result<match> turn_service::restore_stored(store::backend& store, store::match_record record) const {
  const auto* game = games_.find(record.game);
  if (!game) return fail(errc::internal, "stored match " + std::to_string(record.id) + " is of unknown game " + record.game);
  auto moves = store.match_moves(record.id, 0);
  if (!moves) return std::unexpected(moves.error());
  return match::restore(*game, std::move(record), std::move(*moves));
}

result<match> turn_service::read_stored(store::backend& store, std::uint64_t match_id) const {
  auto record = store.find_match(match_id);
  if (!record) return std::unexpected(record.error());
  return restore_stored(store, std::move(*record));
}

result<void> turn_service::load() {
  std::promise<result<std::vector<match>>> loaded;
  db_.read([this, &loaded](store::backend& store) {
    auto records = store.live_matches();
    if (!records) return loaded.set_value(std::unexpected(records.error()));
    std::vector<match> matches;
    for (auto& record : *records) {
      auto restored = restore_stored(store, std::move(record));
      if (!restored) return loaded.set_value(std::unexpected(restored.error()));
      matches.push_back(std::move(*restored));
    }
    loaded.set_value(std::move(matches));
  });
  auto stored = loaded.get_future().get();
  if (!stored) return std::unexpected(stored.error());
  const std::int64_t now = unix_now_ms();
  for (auto& restored : *stored) {
    restored.resume_after_restart(now);  // the time the server was down is nobody's thinking time
    const std::uint64_t id = restored.id();
    auto& live = *states_[match_shard(id)]->matches.emplace(id, std::make_unique<live_match>(std::move(restored))).first->second;
    services_metrics().matches_live.add(0, +1);
    // Listed as it was; its creator counts as away until they connect (the shards do not run yet).
    live.listed = live.game.record().status == store::match_status::open;
    if (live.listed) live.indexed_users = seated_people(live.game);
    for (const auto user : live.indexed_users) states_[home_shard(user)]->open_seats[user].insert(id);
  }
  return {};
}

void turn_service::start() {
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, shard] { sweep(shard); });
  }
}

turn_service::shard_state& turn_service::here() { return *states_[*net::shard_pool::current_shard()]; }

turn_service::live_match* turn_service::find_here(std::uint64_t match_id) {
  auto& matches = here().matches;
  auto found = matches.find(match_id);
  return found == matches.end() ? nullptr : found->second.get();
}

void turn_service::on_match(std::uint64_t match_id, std::move_only_function<void(live_match*)> work) {
  shards_.post(match_shard(match_id),
               [this, match_id, work = std::move(work)]() mutable { work(find_here(match_id)); });
}

store::match_record turn_service::header_from(const identity& who, const v1::CreateMatch& request,
                                              int rating) const {
  const auto* game = games_.find(request.game());
  store::match_record header;
  header.game = request.game();
  for (const auto& [key, value] : request.options()) header.options.emplace_back(key, value);
  std::ranges::sort(header.options);
  header.initial_ms = request.time_control().initial_ms();
  header.increment_ms = request.time_control().increment_ms();
  header.rated = request.rated();
  header.seats.resize(static_cast<std::size_t>(game->seats()));
  std::size_t creator_seat = 0;
  if (request.seat() == v1::SEAT_SECOND) creator_seat = 1;
  if (request.seat() == v1::SEAT_ANY) {
    // Lots drawn for real: a predictable draw would let a player pick their colour by timing the request.
    thread_local std::mt19937 lots{std::random_device{}()};
    creator_seat = std::uniform_int_distribution<std::size_t>(0, header.seats.size() - 1)(lots);
  }
  creator_seat = std::min(creator_seat, header.seats.size() - 1);
  header.seats[creator_seat] = store::match_seat{who.user_id, who.username, false, rating, {}};
  for (std::size_t seat = 0; seat < header.seats.size(); ++seat) {
    if (seat == creator_seat) continue;
    if (request.bot().enabled()) {
      header.seats[seat] = store::match_seat{bot_player_.user_id, bot_player_.username, true, 0, {}};
    } else {
      header.seats[seat].invited.assign(request.invite().begin(), request.invite().end());
    }
  }
  header.bot_skill_level = static_cast<int>(request.bot().skill_level() ? request.bot().skill_level() : config_.bot_skill_level);
  header.bot_move_time_ms =
      static_cast<int>(request.bot().move_time_ms() ? request.bot().move_time_ms() : config_.bot_move_time_ms);
  return header;
}

std::uint64_t turn_service::create_match(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                v1::CreateMatch request) {
  const auto* game = games_.find(request.game());
  auto refuse = [&](const error& why) {
    reply_error(connection, cid, why);
    return std::uint64_t{0};
  };
  if (!game) return refuse({errc::invalid_argument, "no game called '" + request.game() + "'"});
  if (auto valid = validate_options(request.options()); !valid) return refuse(valid.error());
  const auto& clock = request.time_control();
  if (auto valid = validate_time_control(clock.initial_ms(), clock.increment_ms(), config_.max_initial_ms, kMaxIncrementMs);
      !valid) {
    return refuse(valid.error());
  }
  const auto& bot = request.bot();
  if (bot.enabled() && (request.rated() || request.invite_size() > 0 || game->seats() != 2)) {
    return refuse({errc::invalid_argument, "a bot match has two seats, no invitations and no rating"});
  }
  if (bot.skill_level() > 20 || bot.move_time_ms() > config_.max_bot_move_time_ms) {
    return refuse({errc::invalid_argument, "bot skill is 0..20 and its move time at most " +
                                                                     std::to_string(config_.max_bot_move_time_ms) + " ms"});
  }
  if (request.invite_size() > game->seats() * kInvitesPerSeat) {
    return refuse({errc::invalid_argument, "too many invitations: at most " +
                                               std::to_string(game->seats() * kInvitesPerSeat) + " for " + request.game()});
  }
  for (const auto& name : request.invite()) {
    if (!validate_username(name) || name == who.username) {
      return refuse({errc::invalid_argument, "cannot invite '" + name + "'"});
    }
  }
  // The store answers the questions a shard must not wait for: the creator's rating, how many live matches they
  // already have, and whether the invited users exist.
  const std::uint64_t id = here().ids.next(unix_now_ms());
  db_.read([this, id, who, connection, cid, request = std::move(request)](store::backend& store) mutable {
    auto mine = store.live_match_count(who.user_id);
    if (!mine) return reply_error(connection, cid, mine.error());
    if (*mine >= config_.max_live_matches_per_user) {
      return reply_error(connection, cid, {errc::invalid_argument, "you have too many matches going (at most " + std::to_string(config_.max_live_matches_per_user) +
                                                       "): finish some first"});
    }
    std::vector<std::uint64_t> invited_ids;
    for (const auto& name : request.invite()) {
      auto user = store.find_user_by_name(name);
      if (!user) return reply_error(connection, cid, {errc::not_found, "no user named '" + name + "'"});
      invited_ids.push_back(user->id);
    }
    auto rating = store.find_rating(who.user_id, request.game());
    const int shown_rating = rating ? static_cast<int>(rating->rating + 0.5) : 0;
    auto header = header_from(who, request, shown_rating);
    header.id = id;
    on_match(id, [this, id, who, connection, cid, header = std::move(header),
                  invited_ids = std::move(invited_ids)](live_match*) mutable {
      auto* live = place(std::move(header), who, connection, cid);
      if (!live) return;
      for (const auto user_id : invited_ids) {
        notify(user_id, live->game, v1::Notification::INVITED,
               who.username + " invites you to play " + live->game.record().game);
      }
    });
  });
  return id;
}

turn_service::live_match* turn_service::place(store::match_record header, const identity& who,
                                              const connection_ptr& connection, std::uint32_t cid) {
  const auto* game = games_.find(header.game);
  const std::int64_t now = unix_now_ms();
  auto created = match::create(*game, std::move(header), now);
  if (!created) {
    reply_error(connection, cid, created.error());
    return nullptr;
  }
  const std::uint64_t id = created->id();
  auto& live = *here().matches.emplace(id, std::make_unique<live_match>(std::move(*created))).first->second;
  services_metrics().matches_live.add(0, +1);
  const int seat = live.game.seat_of(who.user_id);
  subscribe(live, connection, seat);
  outcome done;
  done.insert = true;
  done.event = live.game.active() ? v1::MatchEvent::STARTED : v1::MatchEvent::KIND_UNSPECIFIED;
  done.reply_to = connection;
  done.reply = make_snapshot(live.game, seat, 0, now, cid);
  done.events_by_seat = make_events(done.event, live.game, nullptr, now);
  persist(live, std::move(done));
  return &live;
}

void turn_service::list_my_matches(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                   bool include_finished) {
  db_.read([this, who, connection, cid, include_finished](store::backend& store) {
    auto matches = store.user_matches(who.user_id, include_finished, kMyMatchesLimit);
    if (!matches) return reply_error(connection, cid, matches.error());
    v1::Envelope answer;
    answer.set_cid(cid);
    auto* list = answer.mutable_match_list();
    const std::int64_t now = unix_now_ms();
    for (const auto& record : *matches) {
      fill_match_info(*list->add_matches(), record, now, clock_probably_running(record));
    }
    reply(connection, std::move(answer));
  });
}

void turn_service::join_match(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                              std::uint64_t match_id) {
  on_match(match_id, [this, who, connection, cid, match_id](live_match* live) {
    if (!live) return reply_error(connection, cid, {errc::match_closed, "no open match " + std::to_string(match_id)});
    const std::string game = live->game.record().game;
    db_.read([this, who, connection, cid, match_id, game](store::backend& store) {
      auto rating = store.find_rating(who.user_id, game);
      const int shown = rating ? static_cast<int>(rating->rating + 0.5) : 0;
      on_match(match_id, [this, who, connection, cid, match_id, shown](live_match* live) {
        if (!live) return reply_error(connection, cid, {errc::match_closed, "no open match " + std::to_string(match_id)});
        const player_ref player{who.user_id, who.username, false, shown};
        change_match(*live, who, connection, cid, v1::MatchEvent::PLAYER_JOINED,
                     [player](match& game, std::int64_t now) -> result<void> {
                       auto seat = game.join(player, now);
                       if (!seat) return std::unexpected(seat.error());
                       return {};
                     });
      });
    });
  });
}

void turn_service::open_match(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                              std::uint64_t match_id, std::uint32_t after_ply) {
  on_match(match_id, [this, who, connection, cid, match_id, after_ply](live_match* live) {
    if (live) {
      // Only durable state is shown: wait for writes in flight, whose events the subscriber then gets anyway.
      live->when_settled.push_back([this, who, connection, cid, match_id, after_ply] {
        auto* settled = find_here(match_id);
        if (!settled) return open_match(who, connection, cid, match_id, after_ply);
        const int seat = settled->game.seat_of(who.user_id);
        subscribe(*settled, connection, seat);
        reply(connection, make_snapshot(settled->game, seat, after_ply, unix_now_ms(), cid));
      });
      return run_if_settled(*live);
    }
    db_.read([this, who, connection, cid, match_id, after_ply](store::backend& store) {
      auto finished = read_stored(store, match_id);
      if (!finished) return reply_error(connection, cid, finished.error());
      reply(connection, make_snapshot(*finished, finished->seat_of(who.user_id), after_ply, unix_now_ms(), cid));
    });
  });
}

void turn_service::leave_match(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                               std::uint64_t match_id) {
  on_match(match_id, [this, who, connection, cid, match_id](live_match* live) {
    v1::Envelope left;
    left.set_cid(cid);
    left.mutable_match_left()->set_match_id(match_id);
    if (!live) return reply(connection, std::move(left));
    std::erase_if(live->subscribers, [&](const subscriber& s) { return s.connection == connection; });
    if (live->game.record().status != store::match_status::open || live->game.seat_of(who.user_id) < 0) {
      return reply(connection, std::move(left));
    }
    change_match(*live, who, connection, cid, v1::MatchEvent::PLAYER_LEFT,
                 [user = who.user_id](match& game, std::int64_t now) { return game.leave_open(user, now); },
                 std::move(left));
  });
}

void turn_service::make_move(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                             std::uint64_t match_id, std::string move, std::optional<std::uint32_t> ply) {
  on_match(match_id, [this, who, connection, cid, match_id, move = std::move(move), ply](live_match* live) {
    if (!live) return reply_error(connection, cid, {errc::match_closed, "match " + std::to_string(match_id) + " is not being played"});
    change_match(*live, who, connection, cid, v1::MatchEvent::MOVED,
                 [user = who.user_id, move, ply](match& game, std::int64_t now) -> result<void> {
                   auto played = game.play(user, move, ply, now);
                   if (!played) return std::unexpected(played.error());
                   return {};
                 });
  });
}

void turn_service::act(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                       std::uint64_t match_id, v1::MatchAction::Kind kind) {
  using action = result<void> (match::*)(std::uint64_t, std::int64_t);
  action chosen = nullptr;
  auto event = v1::MatchEvent::ENDED;
  switch (kind) {
    case v1::MatchAction::RESIGN: chosen = &match::resign; break;
    case v1::MatchAction::OFFER_DRAW: chosen = &match::offer_draw; event = v1::MatchEvent::DRAW_OFFERED; break;
    case v1::MatchAction::ACCEPT_DRAW: chosen = &match::accept_draw; break;
    case v1::MatchAction::DECLINE_DRAW: chosen = &match::decline_draw; event = v1::MatchEvent::DRAW_DECLINED; break;
    case v1::MatchAction::ABORT: chosen = &match::abort; break;
    default: return reply_error(connection, cid, {errc::invalid_argument, "unknown match action"});
  }
  on_match(match_id, [this, who, connection, cid, match_id, chosen, event](live_match* live) {
    if (!live) return reply_error(connection, cid, {errc::match_closed, "match " + std::to_string(match_id) + " is not being played"});
    change_match(*live, who, connection, cid, event,
                 [user = who.user_id, chosen](match& game, std::int64_t now) { return (game.*chosen)(user, now); });
  });
}

void turn_service::leaderboard(const connection_ptr& connection, std::uint32_t cid, std::string game,
                               std::string around, std::uint32_t limit) {
  if (!games_.find(game)) return reply_error(connection, cid, {errc::invalid_argument, "no game called '" + game + "'"});
  db_.read([this, connection, cid, game = std::move(game), around = std::move(around), limit](store::backend& store) {
    auto page = read_leaderboard(store, game, around, limit);
    if (!page) return reply_error(connection, cid, page.error());
    v1::Envelope answer;
    answer.set_cid(cid);
    *answer.mutable_leaderboard_page() = std::move(*page);
    reply(connection, std::move(answer));
  });
}

void turn_service::disconnected(const identity& who, const connection_ptr& connection,
                                const std::vector<std::uint64_t>& opened) {
  for (const auto match_id : opened) {
    on_match(match_id, [connection](live_match* live) {
      if (live) std::erase_if(live->subscribers, [&](const subscriber& s) { return s.connection == connection; });
    });
  }
  left_lobby(who, connection);
}

void turn_service::subscribe(live_match& live, const connection_ptr& connection, int seat) {
  if (!connection) return;
  for (auto& existing : live.subscribers) {
    if (existing.connection == connection) {
      existing.seat = seat;
      return;
    }
  }
  live.subscribers.push_back(subscriber{connection, seat});
}

void turn_service::reply(const connection_ptr& connection, v1::Envelope envelope) {
  if (connection) deliver(shards_, connection, std::move(envelope));
}

void turn_service::reply_error(const connection_ptr& connection, std::uint32_t cid, const error& failure) {
  reply(connection, wire::make_error(cid, failure));
}

}  // namespace guildhall::services
