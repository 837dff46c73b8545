// The open-match list: who is waiting at which open match, and live updates of the list to connections that
// asked for them. Presence is tracked on each user's home shard (user_id % shards), which also knows the open
// matches the user sits in, so a login or logout reaches only those matches; a match's shard keeps its seated
// players present or away (match::set_present) and the clock sweep withdraws a match whose creator has been away
// for turns.open_match_offline_ttl_ms. Watchers live on their connection's shard; a change is fanned out to
// every shard only while some connection watches.
#include <algorithm>

#include "services/delivery.hpp"
#include "services/turns/match_messages.hpp"
#include "services/turns/turn_service.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

constexpr std::size_t kOpenMatchesLimit = 100;

bool watches(const std::string& filter, const store::match_record& record) {
  return filter.empty() || filter == record.game;
}

}  // namespace

void turn_service::list_open_matches(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                     std::string game, bool subscribe) {
  // (Un)subscribe before gathering: a change made after the gathering reads a match is then pushed, and one made
  // before is in the list (at worst both, which a client folds together by match id).
  auto& watchers = here().watchers;
  const auto removed = std::erase_if(watchers, [&](const lobby_watcher& w) { return w.connection == connection; });
  watcher_count_.fetch_sub(static_cast<unsigned>(removed), std::memory_order_relaxed);
  if (subscribe) {
    watchers.push_back(lobby_watcher{connection, who, game});
    watcher_count_.fetch_add(1, std::memory_order_relaxed);
  }
  struct gathering {
    v1::Envelope answer;
    unsigned pending;
  };
  auto gathered = std::make_shared<gathering>();
  gathered->answer.set_cid(cid);
  gathered->answer.mutable_match_list();
  gathered->pending = shards_.size();
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, who, connection, game, gathered] {
      const std::int64_t now = unix_now_ms();
      std::vector<v1::MatchInfo> found;
      for (const auto& [id, live] : here().matches) {
        const auto& record = live->game.record();
        if (record.status != store::match_status::open || !watches(game, record)) continue;
        if (!live->game.may_see(who.user_id, who.username)) continue;
        if (found.size() >= kOpenMatchesLimit) break;
        fill_match_info(found.emplace_back(), live->game, now);
      }
      shards_.post(connection->shard(), [this, connection, gathered, found = std::move(found)]() mutable {
        auto* list = gathered->answer.mutable_match_list();
        for (auto& info : found) {
          if (static_cast<std::size_t>(list->matches_size()) < kOpenMatchesLimit) *list->add_matches() = std::move(info);
        }
        if (--gathered->pending == 0) reply(connection, std::move(gathered->answer));
      });
    });
  }
}

void turn_service::connected(const identity& who, const connection_ptr& /*connection*/) {
  shards_.post(home_shard(who.user_id), [this, user = who.user_id] {
    if (++here().connections[user] == 1) presence_changed(user, true);
  });
}

void turn_service::left_lobby(const identity& who, const connection_ptr& connection) {
  const auto removed = std::erase_if(here().watchers, [&](const lobby_watcher& w) { return w.connection == connection; });
  watcher_count_.fetch_sub(static_cast<unsigned>(removed), std::memory_order_relaxed);
  shards_.post(home_shard(who.user_id), [this, user = who.user_id] {
    auto& counts = here().connections;
    const auto it = counts.find(user);
    if (it == counts.end() || --it->second > 0) return;
    counts.erase(it);
    presence_changed(user, false);
  });
}

void turn_service::presence_changed(std::uint64_t user_id, bool present) {
  const auto& seats = here().open_seats;
  const auto it = seats.find(user_id);
  if (it == seats.end()) return;
  for (const auto match_id : it->second) set_presence(match_id, user_id, present);
}

void turn_service::set_presence(std::uint64_t match_id, std::uint64_t user_id, bool present) {
  on_match(match_id, [this, user_id, present](live_match* live) {
    if (!live || !live->game.set_present(user_id, present, unix_now_ms())) return;
    // Watchers see only durable states: with a write in flight, its after_durable tells them (presence included).
    if (live->writes_in_flight == 0 && !live->recovering) update_lobby(*live);
  });
}

std::vector<std::uint64_t> turn_service::seated_people(const match& game) {
  std::vector<std::uint64_t> users;
  if (game.record().status != store::match_status::open) return users;
  for (const auto& seat : game.record().seats) {
    if (seat.user_id != 0 && !seat.bot) users.push_back(seat.user_id);
  }
  return users;
}

void turn_service::update_lobby(live_match& live) {
  const bool open = live.game.record().status == store::match_status::open;
  if (!open && !live.listed) return;
  const auto kind = !open ? v1::OpenMatchesChanged::REMOVED
                    : live.listed ? v1::OpenMatchesChanged::UPDATED
                                  : v1::OpenMatchesChanged::ADDED;
  live.listed = open;
  reindex_open_seats(live);
  auto seen_before = std::move(live.listed_as);
  if (open) live.listed_as = std::make_shared<const store::match_record>(live.game.record());
  if (watcher_count_.load(std::memory_order_relaxed) > 0) tell_watchers(kind, live, std::move(seen_before));
}

void turn_service::reindex_open_seats(live_match& live) {
  const std::uint64_t id = live.game.id();
  auto seated = seated_people(live.game);
  for (const auto user : live.indexed_users) {
    if (std::ranges::find(seated, user) != seated.end()) continue;
    shards_.post(home_shard(user), [this, user, id] {
      auto& seats = here().open_seats;
      if (auto it = seats.find(user); it != seats.end() && it->second.erase(id) > 0 && it->second.empty()) seats.erase(it);
    });
  }
  for (const auto user : seated) {
    if (std::ranges::find(live.indexed_users, user) != live.indexed_users.end()) continue;
    // The home shard knows whether the user is connected now: it answers with their presence, which settles a
    // login or logout that crossed this registration.
    shards_.post(home_shard(user), [this, user, id] {
      here().open_seats[user].insert(id);
      set_presence(id, user, here().connections.contains(user));
    });
  }
  live.indexed_users = std::move(seated);
}

void turn_service::tell_watchers(v1::OpenMatchesChanged::Kind kind, const live_match& live,
                                 std::shared_ptr<const store::match_record> seen_before) {
  auto push = std::make_shared<v1::Envelope>();
  push->mutable_open_matches_changed()->set_kind(kind);
  fill_match_info(*push->mutable_open_matches_changed()->mutable_match(), live.game, unix_now_ms());
  auto now = std::make_shared<const store::match_record>(live.game.record());
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, push, now, seen_before] {
      // Encoded once per format on this shard, for the watchers that could see the match before or now.
      wire::shared_message binary, json;
      for (const auto& watcher : here().watchers) {
        if (!watches(watcher.game, *now)) continue;
        const bool saw = seen_before && match::may_see(*seen_before, watcher.who.user_id, watcher.who.username);
        if (!saw && !match::may_see(*now, watcher.who.user_id, watcher.who.username)) continue;
        const bool wants_json = watcher.connection->format() == wire::payload_format::json;
        auto& encoded = wants_json ? json : binary;
        if (!encoded) encoded = wire::encode_shared(*push, wants_json);
        send_on_shard(shards_, watcher.connection, encoded);
      }
    });
  }
}

}  // namespace guildhall::services
