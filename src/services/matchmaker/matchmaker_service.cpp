#include "services/matchmaker/matchmaker_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/metrics.hpp"
#include "services/delivery.hpp"
#include "services/matchmaker/matchmaker_messages.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
using matchmaking::party_member;
using matchmaking::ticket;

namespace {

std::string lowered(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Longer than any username: a longer name cannot be online, and is not worth a lookup.
constexpr std::size_t kMaxUsernameBytes = 64;

// Series of guildhall_matchmaker_tickets_total.
enum class ticket_outcome : std::size_t { queued, matched, cancelled };

struct matchmaker_metrics {
  metrics::gauge& waiting;
  metrics::counter& tickets;
};

matchmaker_metrics& instruments() {
  auto& registry = metrics::default_registry();
  static matchmaker_metrics made{
      registry.add_gauge("guildhall_matchmaker_tickets_waiting", "Matchmaker tickets waiting in the queues."),
      registry.add_counter("guildhall_matchmaker_tickets_total",
                           "Matchmaker tickets by what became of them: queued, matched (placed in a room), cancelled.",
                           {{"outcome", {"queued", "matched", "cancelled"}}}),
  };
  return made;
}

void count(ticket_outcome outcome) { instruments().tickets.add(static_cast<std::size_t>(outcome)); }

}  // namespace

matchmaker_service::matchmaker_service(net::shard_pool& shards, room_allocator* rooms, room_seats_fn room_seats,
                                       notify_fn notify, matchmaker_config config, clock_fn clock)
    : shards_(shards),
      rooms_(rooms),
      room_seats_(std::move(room_seats)),
      notify_(std::move(notify)),
      config_(config),
      clock_(std::move(clock)) {
  (void)instruments();  // the series exist, at zero, from the start
}

void matchmaker_service::report_waiting() {
  const auto now = static_cast<std::int64_t>(queued());
  instruments().waiting.add(0, now - reported_waiting_);
  reported_waiting_ = now;
}

void matchmaker_service::start() { schedule(); }

void matchmaker_service::schedule() {
  shards_.post_after(kShard, std::chrono::milliseconds(config_.interval_ms), [this] {
    process();
    schedule();
  });
}

void matchmaker_service::connected(const identity& who) {
  shards_.post(kShard, [this, who] {
    auto& user = online_[who.user_id];
    if (user.connections++ == 0) {
      user.username = who.username;
      online_by_name_[lowered(who.username)] = who.user_id;
    }
  });
}

void matchmaker_service::disconnected(const identity& who) {
  shards_.post(kShard, [this, who] {
    const auto it = online_.find(who.user_id);
    if (it == online_.end() || --it->second.connections > 0) return;
    online_by_name_.erase(lowered(it->second.username));
    online_.erase(it);
    if (const auto held = ticket_of_.find(who.user_id); held != ticket_of_.end()) {
      cancel(held->second, who.username + " disconnected", who.user_id);
    }
  });
}

void matchmaker_service::add(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                             v1::MatchmakerAdd request) {
  shards_.post(kShard, [this, who, connection, cid, request = std::move(request)] {
    auto queued = queue(who, request);
    if (!queued) return reply(connection, wire::make_error(cid, queued.error()));
    reply(connection, matchmaking::ticket_envelope(cid, *queued));
    for (const auto& member : queued->party) {
      if (member.user_id != who.user_id) tell(member.user_id, matchmaking::ticket_envelope(0, *queued));
    }
  });
}

result<ticket> matchmaker_service::queue(const identity& who, const v1::MatchmakerAdd& request) {
  const auto seats = room_seats_ ? room_seats_(request.room_type()) : std::nullopt;
  if (!seats) return fail(errc::room_not_found, "no room type named '" + request.room_type().substr(0, 64) + "'");
  auto party = resolve_party(who, request);
  if (!party) return std::unexpected(party.error());
  auto made = matchmaking::ticket_from(request, std::move(*party), *seats, config_);
  if (!made) return made;
  made->id = ids_.next(clock_());
  made->queued_at_ms = clock_();
  auto pool = pools_.find(made->room_type);
  if (pool == pools_.end()) {
    const matchmaking::pool_limits limits{*seats, config_.max_tickets, config_.fill_wait_ms,
                                          matchmaking::kMaxChecksPerPass};
    pool = pools_.emplace(made->room_type, matchmaking::matchmaker_pool(limits)).first;
  }
  if (auto added = pool->second.add(*made); !added) return std::unexpected(added.error());
  for (const auto& member : made->party) ticket_of_[member.user_id] = made->id;
  count(ticket_outcome::queued);
  report_waiting();
  return made;
}

result<std::vector<party_member>> matchmaker_service::resolve_party(const identity& who,
                                                                   const v1::MatchmakerAdd& request) const {
  if (request.party_size() >= static_cast<int>(matchmaking::kMaxPartySize)) {
    return fail(errc::invalid_argument, "a party is at most " + std::to_string(matchmaking::kMaxPartySize) + " players");
  }
  if (const auto held = ticket_of_.find(who.user_id); held != ticket_of_.end()) {
    return fail(errc::already_queued, "you are queued already (ticket " + std::to_string(held->second) +
                                          "): leave that queue first");
  }
  std::vector<party_member> party{{who.user_id, who.username}};
  for (const auto& name : request.party()) {
    const auto found = name.size() <= kMaxUsernameBytes ? online_by_name_.find(lowered(name)) : online_by_name_.end();
    if (found == online_by_name_.end()) {
      return fail(errc::not_online, "'" + name.substr(0, kMaxUsernameBytes) + "' is not online: every party member must be");
    }
    const auto& member = online_.at(found->second);
    if (ticket_of_.contains(found->second)) return fail(errc::already_queued, member.username + " is queued already");
    party.push_back({found->second, member.username});
  }
  return party;
}

void matchmaker_service::remove(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                std::uint64_t ticket_id) {
  shards_.post(kShard, [this, who, connection, cid, ticket_id] {
    const auto held = ticket_of_.find(who.user_id);
    if (held == ticket_of_.end() || held->second != ticket_id) {
      return reply(connection, wire::make_error(cid, {errc::not_found, "you hold no matchmaker ticket " +
                                                                           std::to_string(ticket_id)}));
    }
    cancel(ticket_id, who.username + " left the queue", who.user_id);
    v1::Envelope answer;
    answer.set_cid(cid);
    answer.mutable_matchmaker_removed()->set_ticket(ticket_id);
    reply(connection, std::move(answer));
  });
}

void matchmaker_service::cancel(std::uint64_t ticket_id, const std::string& reason, std::uint64_t except_user) {
  std::optional<ticket> taken;
  for (auto& [type, pool] : pools_) {
    if ((taken = pool.remove(ticket_id))) break;
  }
  if (!taken) {
    const auto placing = placing_.find(ticket_id);
    if (placing == placing_.end() || placing->second.cancelled) return;
    placing->second.cancelled = true;
    taken = placing->second.held;
  }
  release(*taken);
  count(ticket_outcome::cancelled);
  report_waiting();
  for (const auto& member : taken->party) {
    if (member.user_id != except_user) tell(member.user_id, matchmaking::cancelled_envelope(ticket_id, reason));
  }
}

void matchmaker_service::release(const ticket& held) {
  for (const auto& member : held.party) {
    if (const auto it = ticket_of_.find(member.user_id); it != ticket_of_.end() && it->second == held.id) {
      ticket_of_.erase(it);
    }
  }
  failed_placements_.erase(held.id);
}

void matchmaker_service::process() {
  const std::int64_t now = clock_();
  for (auto& [type, pool] : pools_) {
    if (pool.empty()) continue;
    for (auto& group : pool.form_matches(now)) place(type, std::move(group));
  }
  report_waiting();
}

void matchmaker_service::place(const std::string& room_type, matchmaking::match_group group) {
  std::vector<std::uint64_t> users;
  std::vector<std::uint64_t> ticket_ids;
  for (const auto& member : group.tickets) {
    ticket_ids.push_back(member.id);
    for (const auto& player : member.party) users.push_back(player.user_id);
  }
  const auto options = matchmaking::room_options_for(group.tickets);
  for (auto& member : group.tickets) placing_.emplace(member.id, in_placement{std::move(member), false});
  if (!rooms_) return placed(room_type, ticket_ids, std::unexpected("this server has no room engine"));
  rooms_->allocate(room_type, options, std::move(users),
                   [this, room_type, ticket_ids](placement_result outcome) mutable {
                     shards_.post(kShard, [this, room_type = std::move(room_type), ticket_ids = std::move(ticket_ids),
                                           outcome = std::move(outcome)]() mutable {
                       placed(room_type, ticket_ids, std::move(outcome));
                     });
                   });
}

void matchmaker_service::placed(const std::string& room_type, const std::vector<std::uint64_t>& ticket_ids,
                                placement_result outcome) {
  std::vector<ticket> held;
  for (const auto id : ticket_ids) {
    const auto it = placing_.find(id);
    if (it == placing_.end()) continue;
    if (!it->second.cancelled) held.push_back(std::move(it->second.held));
    placing_.erase(it);
  }
  if (!outcome) {
    spdlog::warn("matchmaker: no room of type '{}' for {} tickets: {}", room_type, held.size(), outcome.error());
    for (auto& member : held) placement_failed(room_type, std::move(member), outcome.error());
    return;
  }
  std::unordered_map<std::uint64_t, std::string> tokens(outcome->reservations.begin(), outcome->reservations.end());
  std::vector<party_member> players;
  for (const auto& member : held) players.insert(players.end(), member.party.begin(), member.party.end());
  for (const auto& member : held) {
    release(member);
    count(ticket_outcome::matched);
    for (const auto& player : member.party) {
      const auto token = tokens.find(player.user_id);
      tell(player.user_id, token == tokens.end()
                               ? matchmaking::cancelled_envelope(member.id, "the room kept no seat for you")
                               : matchmaking::matched_envelope(member.id, outcome->room_id, room_type, token->second,
                                                               players));
    }
  }
}

void matchmaker_service::placement_failed(const std::string& room_type, ticket held, const std::string& why) {
  const int failures = ++failed_placements_[held.id];
  if (failures < kMaxPlacementAttempts) {
    const auto pool = pools_.find(room_type);
    // Back in its old place (queued_at_ms is kept), so it is first in line at the next pass.
    if (pool != pools_.end() && pool->second.add(held)) return report_waiting();
  }
  release(held);
  count(ticket_outcome::cancelled);
  for (const auto& member : held.party) {
    tell(member.user_id, matchmaking::cancelled_envelope(held.id, "no room could be created: " + why));
  }
}

std::size_t matchmaker_service::queued() const {
  std::size_t total = 0;
  for (const auto& [type, pool] : pools_) total += pool.size();
  return total;
}

void matchmaker_service::tell(std::uint64_t user_id, v1::Envelope message) {
  // Offline: nothing to do. Their ticket was cancelled when they went; a reservation they never see expires.
  notify_(user_id, std::move(message), [] {});
}

void matchmaker_service::reply(const connection_ptr& connection, v1::Envelope message) {
  deliver(shards_, connection, std::move(message));
}

}  // namespace guildhall::services
