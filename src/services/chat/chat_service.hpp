#pragma once
// Chat across shards: channels (each on the shard its name hashes to), direct messages (routed through the
// recipient's home shard, which knows their connections), history and presence.
// A broadcast is serialized once and each destination shard gets one task carrying its connection list.
// Thread-safety: every request method is called on the calling connection's shard; per-shard state is touched
// only by its shard; answers go back to the connection's shard.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/ids.hpp"
#include "net/shard_pool.hpp"
#include "services/chat/channel.hpp"
#include "services/chat/chat_config.hpp"
#include "services/rate_limiter.hpp"
#include "store/database.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

class chat_service {
 public:
  chat_service(net::shard_pool& shards, store::database& db, chat_config config);
  ~chat_service();

  const chat_config& config() const { return config_; }

  void connected(const identity& who, const connection_ptr& connection);
  // `channels`: those the connection had joined; it is removed from each.
  void disconnected(const identity& who, const connection_ptr& connection, const std::vector<std::string>& channels);

  // Per-user (per-shard) send budget; call before send_message / send_direct.
  bool allow_send(std::uint64_t user_id, std::int64_t now_ms);

  void join(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::string channel_name);
  void leave(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::string channel_name);
  void list_members(const connection_ptr& connection, std::uint32_t cid, std::string channel_name);
  void send_message(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                    std::string channel_name, std::string text);
  void channel_history(const connection_ptr& connection, std::uint32_t cid, std::string channel_name,
                       std::uint64_t before_id, std::uint32_t limit);
  void send_direct(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::string to_username,
                   std::string text);
  void direct_history(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                      std::string with_username, std::uint64_t before_id, std::uint32_t limit);

  // Sends `envelope` to `connection` on its shard (posting if needed), in the connection's format.
  void deliver(const connection_ptr& connection, wire::v1::Envelope envelope);
  // Sends `envelope` to every connection of the user; runs `when_offline` (on the user's home shard) if they
  // have none. This service knows who is connected, so other services ask it.
  void push_to_user(std::uint64_t user_id, wire::v1::Envelope envelope, std::move_only_function<void()> when_offline);

  // Hands every shard's waiting messages to the database now, and returns once all shards have. For shutdown,
  // before the shards stop: a batch still waiting for its timer would otherwise be lost.
  void store_waiting_messages();

 private:
  struct local_user {
    unsigned connections = 0;
    token_bucket bucket;
  };
  struct unacknowledged {
    connection_ptr connection;
    std::uint32_t cid = 0;
    std::uint64_t message_id = 0;
    std::int64_t sent_at_ms = 0;
  };
  struct known_user {
    std::uint64_t id;
    std::string username;
  };
  // Direct-message recipients remembered per shard, so a sender's messages do not each cost a database read.
  static constexpr std::size_t kMaxCachedRecipients = 4'096;
  struct shard_state {
    explicit shard_state(unsigned shard) : ids(shard) {}
    std::unordered_map<std::string, known_user> recipients;  // by lower-cased name, at most kMaxCachedRecipients
    id_generator ids;
    std::unordered_map<std::string, std::unique_ptr<channel>> channels;  // those homed on this shard
    std::unordered_map<std::uint64_t, connection_list> home_users;         // users homed here: all their connections
    std::unordered_map<std::uint64_t, local_user> local_users;             // users with connections on this shard
    // Messages sent on this shard and not yet handed to the database (store_batch_ms), with whom to acknowledge.
    std::vector<store::chat_record> unstored;
    std::vector<unacknowledged> senders;
  };

  unsigned channel_shard(const std::string& name) const;
  // Runs `work(name)` on the shard that owns channel `name`. The one way to reach a channel: the shard is picked
  // from the name before the name moves into the task.
  template <typename Work>
  void on_channel_shard(std::string name, Work work) {
    const unsigned shard = channel_shard(name);
    shards_.post(shard, [name = std::move(name), work = std::move(work)]() mutable { work(name); });
  }
  unsigned home_shard(std::uint64_t user_id) const;
  shard_state& here();
  void broadcast(const channel& room, const wire::v1::Envelope& envelope);
  void broadcast_presence(const channel& room, int kind, const member_info& who);
  void deliver_to_user(std::uint64_t user_id, const wire::shared_message& message);
  void store_and_acknowledge(store::chat_record record, connection_ptr connection, std::uint32_t cid);
  void send_direct_to(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                      const known_user& recipient, std::string text);
  // Hands this shard's waiting messages to the database; their senders are acknowledged once it commits.
  void store_batch();
  std::uint32_t page_size(std::uint32_t requested) const;
  void send_history_page(const connection_ptr& connection, std::uint32_t cid, const result<std::vector<store::chat_record>>& page,
                         std::uint32_t limit);

  net::shard_pool& shards_;
  store::database& db_;
  chat_config config_;
  std::vector<std::unique_ptr<shard_state>> states_;
};

}  // namespace guildhall::services
