#include "services/chat/channel.hpp"

#include <algorithm>

namespace guildhall::services {
namespace {
// Bounds the memory of who-went-offline notes in a busy channel.
constexpr std::size_t kMaxOfflineNotes = 4096;
}

channel::join_outcome channel::join(const member_info& who, const connection_ptr& connection, bool json,
                                    std::int64_t now_ms) {
  auto [it, inserted] = members_.try_emplace(who.user_id, member{who.username, {}});
  auto& connections = it->second.connections;
  const bool known = std::ranges::any_of(connections, [&](const auto& c) { return c.first->id() == connection->id(); });
  if (!known) {
    connections.emplace_back(connection, json);
    if (json) ++json_connections_;
    rebuild_delivery();
  }
  if (!inserted) return join_outcome::already_member;
  const auto note = went_offline_at_ms_.find(who.user_id);
  if (note == went_offline_at_ms_.end()) return join_outcome::joined;
  went_offline_at_ms_.erase(note);
  return join_outcome::back_online;
}

bool channel::leave(std::uint64_t user_id, std::uint64_t connection_id) {
  return remove_connection(user_id, connection_id);
}

bool channel::detach(std::uint64_t user_id, std::uint64_t connection_id, std::int64_t now_ms, std::int64_t grace_ms) {
  if (!remove_connection(user_id, connection_id)) return false;
  std::erase_if(went_offline_at_ms_, [&](const auto& note) { return now_ms - note.second > grace_ms; });
  if (went_offline_at_ms_.size() < kMaxOfflineNotes) went_offline_at_ms_[user_id] = now_ms;
  return true;
}

bool channel::remove_connection(std::uint64_t user_id, std::uint64_t connection_id) {
  const auto it = members_.find(user_id);
  if (it == members_.end()) return false;
  auto& connections = it->second.connections;
  const auto found = std::ranges::find_if(connections, [&](const auto& c) { return c.first->id() == connection_id; });
  if (found == connections.end()) return false;
  if (found->second) --json_connections_;
  connections.erase(found);
  rebuild_delivery();
  if (!connections.empty()) return false;
  members_.erase(it);
  return true;
}

std::vector<member_info> channel::members() const {
  std::vector<member_info> out;
  out.reserve(members_.size());
  for (const auto& [id, entry] : members_) out.push_back({id, entry.username});
  std::ranges::sort(out, {}, &member_info::username);
  return out;
}

void channel::rebuild_delivery() {
  std::vector<connection_list> lists(delivery_.size());
  for (const auto& [id, entry] : members_) {
    for (const auto& [connection, json] : entry.connections) lists[connection->shard()].push_back(connection);
  }
  for (std::size_t shard = 0; shard < lists.size(); ++shard) {
    delivery_[shard] = lists[shard].empty() ? nullptr : std::make_shared<const connection_list>(std::move(lists[shard]));
  }
}

}  // namespace guildhall::services
