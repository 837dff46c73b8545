#include "services/matchmaker/matchmaker_pool.hpp"

#include <algorithm>

namespace guildhall::services::matchmaking {

result<void> matchmaker_pool::add(ticket queued) {
  if (auto valid = validate_ticket(queued, limits_.room_seats); !valid) return valid;
  if (queue_.size() >= limits_.max_tickets) {
    error full{errc::unavailable, "the matchmaker queue for '" + queued.room_type + "' is full (" +
                                      std::to_string(limits_.max_tickets) + " tickets)"};
    full.retry_after_ms = 5'000;
    return std::unexpected(std::move(full));
  }
  if (by_id_.contains(queued.id)) return fail(errc::already_queued, "that ticket is queued already");
  for (const auto& member : queued.party) {
    if (by_user_.contains(member.user_id)) {
      return fail(errc::already_queued, member.username + " is queued already");
    }
  }
  const order key{queued.queued_at_ms, queued.id};
  for (const auto& member : queued.party) by_user_.emplace(member.user_id, queued.id);
  by_id_.emplace(queued.id, key);
  queue_.emplace(key, std::move(queued));
  return {};
}

std::optional<ticket> matchmaker_pool::take(std::uint64_t ticket_id) {
  const auto found = by_id_.find(ticket_id);
  if (found == by_id_.end()) return std::nullopt;
  const auto it = queue_.find(found->second);
  ticket taken = std::move(it->second);
  queue_.erase(it);
  by_id_.erase(found);
  for (const auto& member : taken.party) by_user_.erase(member.user_id);
  return taken;
}

std::optional<ticket> matchmaker_pool::remove(std::uint64_t ticket_id) { return take(ticket_id); }

std::optional<ticket> matchmaker_pool::remove_user(std::uint64_t user_id) {
  const auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return std::nullopt;
  return take(it->second);
}

const ticket* matchmaker_pool::find(std::uint64_t ticket_id) const {
  const auto found = by_id_.find(ticket_id);
  return found == by_id_.end() ? nullptr : &queue_.at(found->second);
}

std::vector<match_group> matchmaker_pool::form_matches(std::int64_t now_ms) {
  std::vector<const ticket*> waiting;
  waiting.reserve(queue_.size());
  for (const auto& [key, queued] : queue_) waiting.push_back(&queued);
  std::vector<bool> used(waiting.size(), false);
  std::vector<std::vector<std::uint64_t>> formed;  // ticket ids, taken out once the search is over
  std::size_t checks = 0;
  for (std::size_t anchor = 0; anchor < waiting.size() && checks < limits_.max_checks_per_pass; ++anchor) {
    if (used[anchor]) continue;
    const auto members = search(waiting, used, anchor, now_ms, checks);
    if (members.empty()) continue;
    std::vector<std::uint64_t>& ids = formed.emplace_back();
    for (const auto member : members) ids.push_back(waiting[member]->id);
  }
  last_checks_ = checks;

  std::vector<match_group> groups;
  groups.reserve(formed.size());
  for (const auto& ids : formed) {
    match_group& group = groups.emplace_back();
    for (const auto id : ids) {
      group.tickets.push_back(*take(id));
      group.players += group.tickets.back().size();
    }
  }
  return groups;
}

// Grows a group from `anchor` over the younger unused tickets; marks its members used and returns their indices
// when it may form, nothing otherwise.
std::vector<std::size_t> matchmaker_pool::search(const std::vector<const ticket*>& waiting, std::vector<bool>& used,
                                                   std::size_t anchor, std::int64_t now_ms, std::size_t& checks) const {
  const ticket& first = *waiting[anchor];
  std::vector<std::size_t> members{anchor};
  int players = first.size();
  int low = first.min_count;   // the largest min_count in the group
  int high = first.max_count;  // the smallest max_count in the group
  for (std::size_t next = anchor + 1; next < waiting.size() && players < high; ++next) {
    if (used[next]) continue;
    const ticket& candidate = *waiting[next];
    const int grown = players + candidate.size();
    if (grown > std::min(high, candidate.max_count) || std::max(low, candidate.min_count) > std::min(high, candidate.max_count)) {
      continue;
    }
    if (checks + members.size() > limits_.max_checks_per_pass) break;
    checks += members.size();
    const bool fits = std::ranges::all_of(members, [&](std::size_t member) {
      return compatible(*waiting[member], candidate, now_ms);
    });
    if (!fits) continue;
    members.push_back(next);
    players = grown;
    low = std::max(low, candidate.min_count);
    high = std::min(high, candidate.max_count);
  }
  const bool full = players == high;
  const bool waited_enough = now_ms - first.queued_at_ms >= limits_.fill_wait_ms;
  if (players < low || (!full && !waited_enough)) return {};
  for (const auto member : members) used[member] = true;
  return members;
}

}  // namespace guildhall::services::matchmaking
