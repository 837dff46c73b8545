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
  const auto note = back_online_until_ms_.find(who.user_id);
  if (note == back_online_until_ms_.end()) return join_outcome::joined;
  const bool within_grace = now_ms <= note->second;
  back_online_until_ms_.erase(note);
  return within_grace ? join_outcome::back_online : join_outcome::joined;
}

bool channel::leave(std::uint64_t user_id, std::uint64_t connection_id) {
  return remove_connection(user_id, connection_id);
}

bool channel::detach(std::uint64_t user_id, std::uint64_t connection_id, std::int64_t now_ms, std::int64_t grace_ms) {
  if (!remove_connection(user_id, connection_id)) return false;
  std::erase_if(back_online_until_ms_, [&](const auto& note) { return note.second < now_ms; });
  if (back_online_until_ms_.size() < kMaxOfflineNotes) back_online_until_ms_[user_id] = now_ms + grace_ms;
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
