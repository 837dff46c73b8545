#pragma once
// A chat channel's membership: who is in it, through which connections, and the per-shard delivery lists a
// broadcast walks. Pure state with no I/O: chat_service owns channels, one shard each, and does the sending.
// Thread-safety: none; used only on the channel's shard. The delivery lists are immutable snapshots, safe to
// hand to other shards.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/connection.hpp"

namespace guildhall::services {

using connection_ptr = std::shared_ptr<net::connection>;
using connection_list = std::vector<connection_ptr>;

struct member_info {
  std::uint64_t user_id;
  std::string username;
};

class channel {
 public:
  channel(std::string name, unsigned shard_count) : name_(std::move(name)), delivery_(shard_count) {}

  enum class join_outcome { joined, back_online, already_member };
  // `json` says whether this connection reads JSON, so broadcasts know to serialize it.
  join_outcome join(const member_info& who, const connection_ptr& connection, bool json, std::int64_t now_ms);
  // An explicit leave of one connection; true when the user has no connection left here and is gone.
  bool leave(std::uint64_t user_id, std::uint64_t connection_id);
  // A closed connection; true when the user is gone (they went offline). A join within `grace_ms` is then
  // back_online rather than joined.
  bool detach(std::uint64_t user_id, std::uint64_t connection_id, std::int64_t now_ms, std::int64_t grace_ms);

  bool is_member(std::uint64_t user_id) const { return members_.contains(user_id); }
  bool empty() const { return members_.empty(); }
  const std::string& name() const { return name_; }
  std::vector<member_info> members() const;
  bool wants_json() const { return json_connections_ > 0; }
  // Connections to deliver to, per shard.
  const std::vector<std::shared_ptr<const connection_list>>& delivery() const { return delivery_; }

 private:
  struct member {
    std::string username;
    std::vector<std::pair<connection_ptr, bool>> connections;  // (connection, reads JSON)
  };
  bool remove_connection(std::uint64_t user_id, std::uint64_t connection_id);
  void rebuild_delivery();

  std::string name_;
  std::unordered_map<std::uint64_t, member> members_;
  std::unordered_map<std::uint64_t, std::int64_t> back_online_until_ms_;  // user -> end of their grace period
  std::vector<std::shared_ptr<const connection_list>> delivery_;
  std::size_t json_connections_ = 0;
};

}  // namespace guildhall::services
