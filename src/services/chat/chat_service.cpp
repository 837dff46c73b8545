#include "services/chat/chat_service.hpp"

#include <cctype>
#include <chrono>
#include <functional>
#include <latch>
#include <utility>

#include "services/delivery.hpp"
#include "services/service_metrics.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;

namespace {

void fill_message(v1::ChatMessage& out, const store::chat_record& record) {
  out.set_message_id(record.id);
  out.set_channel(record.channel);
  out.set_from_user_id(record.from_user_id);
  out.set_from_username(record.from_username);
  out.set_to_username(record.to_username);
  out.set_text(record.text);
  out.set_sent_at_ms(record.sent_at_ms);
}

// Usernames are unique ignoring case.
std::string lowered_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

v1::Envelope error_envelope(std::uint32_t cid, errc code, std::string message) {
  return wire::make_error(cid, error{code, std::move(message)});
}

void fill_members(google::protobuf::RepeatedPtrField<v1::Member>& out, const std::vector<member_info>& members) {
  for (const auto& who : members) {
    auto* member = out.Add();
    member->set_user_id(who.user_id);
    member->set_username(who.username);
  }
}

}  // namespace

chat_service::chat_service(net::shard_pool& shards, store::database& db, chat_config config)
    : shards_(shards), db_(db), config_(config) {
  for (unsigned shard = 0; shard < shards.size(); ++shard) states_.push_back(std::make_unique<shard_state>(shard));
}

chat_service::~chat_service() = default;

unsigned chat_service::channel_shard(const std::string& name) const {
  return static_cast<unsigned>(std::hash<std::string>{}(name) % shards_.size());
}

unsigned chat_service::home_shard(std::uint64_t user_id) const {
  return static_cast<unsigned>(user_id % shards_.size());
}

chat_service::shard_state& chat_service::here() { return *states_[*net::shard_pool::current_shard()]; }

void chat_service::deliver(const connection_ptr& connection, v1::Envelope envelope) {
  services::deliver(shards_, connection, std::move(envelope));
}

void chat_service::connected(const identity& who, const connection_ptr& connection) {
  auto& local = here().local_users;
  auto it = local.find(who.user_id);
  if (it == local.end()) {
    it = local.emplace(who.user_id, local_user{0, token_bucket(config_.messages_per_second, config_.message_burst,
                                                               unix_now_ms())}).first;
  }
  ++it->second.connections;
  shards_.post(home_shard(who.user_id), [this, user_id = who.user_id, connection] {
    here().home_users[user_id].push_back(connection);
  });
}

void chat_service::disconnected(const identity& who, const connection_ptr& connection,
                                const std::vector<std::string>& channels) {
  auto& local = here().local_users;
  if (auto it = local.find(who.user_id); it != local.end() && --it->second.connections == 0) local.erase(it);

  for (const auto& channel_name : channels) {
    on_channel_shard(channel_name, [this, who, connection_id = connection->id()](const std::string& name) {
      auto& rooms = here().channels;
      const auto it = rooms.find(name);
      if (it == rooms.end()) return;
      if (it->second->detach(who.user_id, connection_id, unix_now_ms(), config_.presence_grace_ms)) {
        broadcast_presence(*it->second, v1::PresenceEvent::OFFLINE, {who.user_id, who.username});
      }
      if (it->second->empty()) rooms.erase(it);
    });
  }
  shards_.post(home_shard(who.user_id), [this, user_id = who.user_id, connection_id = connection->id()] {
    auto& users = here().home_users;
    const auto it = users.find(user_id);
    if (it == users.end()) return;
    std::erase_if(it->second, [&](const connection_ptr& c) { return c->id() == connection_id; });
    if (it->second.empty()) users.erase(it);
  });
}

bool chat_service::allow_send(std::uint64_t user_id, std::int64_t now_ms) {
  auto& local = here().local_users;
  const auto it = local.find(user_id);
  return it != local.end() && it->second.bucket.try_take(now_ms);
}

void chat_service::join(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                        std::string channel_name) {
  const bool json = connection->format() == wire::payload_format::json;
  on_channel_shard(std::move(channel_name), [this, who, connection, cid, json](const std::string& name) {
    auto& rooms = here().channels;
    auto& room = rooms[name];
    if (!room) room = std::make_unique<channel>(name, shards_.size());
    const auto outcome = room->join({who.user_id, who.username}, connection, json, unix_now_ms());
    if (outcome == channel::join_outcome::joined) {
      broadcast_presence(*room, v1::PresenceEvent::JOINED, {who.user_id, who.username});
    } else if (outcome == channel::join_outcome::back_online) {
      broadcast_presence(*room, v1::PresenceEvent::ONLINE, {who.user_id, who.username});
    }
    v1::Envelope answer;
    answer.set_cid(cid);
    answer.mutable_channel_joined()->set_channel(name);
    fill_members(*answer.mutable_channel_joined()->mutable_members(), room->members());
    deliver(connection, std::move(answer));
  });
}

void chat_service::leave(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                         std::string channel_name) {
  on_channel_shard(std::move(channel_name), [this, who, connection, cid](const std::string& name) {
    auto& rooms = here().channels;
    if (const auto it = rooms.find(name); it != rooms.end()) {
      if (it->second->leave(who.user_id, connection->id())) {
        broadcast_presence(*it->second, v1::PresenceEvent::LEFT, {who.user_id, who.username});
      }
      if (it->second->empty()) rooms.erase(it);
    }
    v1::Envelope answer;
    answer.set_cid(cid);
    answer.mutable_channel_left()->set_channel(name);
    deliver(connection, std::move(answer));
  });
}

void chat_service::list_members(const connection_ptr& connection, std::uint32_t cid, std::string channel_name) {
  on_channel_shard(std::move(channel_name), [this, connection, cid](const std::string& name) {
    auto& rooms = here().channels;
    v1::Envelope answer;
    answer.set_cid(cid);
    answer.mutable_member_list()->set_channel(name);
    if (const auto it = rooms.find(name); it != rooms.end()) {
      fill_members(*answer.mutable_member_list()->mutable_members(), it->second->members());
    }
    deliver(connection, std::move(answer));
  });
}

void chat_service::send_message(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                std::string channel_name, std::string text) {
  on_channel_shard(std::move(channel_name), [this, who, connection, cid, text = std::move(text)](
                                                const std::string& name) mutable {
    auto& state = here();
    const auto it = state.channels.find(name);
    if (it == state.channels.end() || !it->second->is_member(who.user_id)) {
      return deliver(connection, error_envelope(cid, errc::not_member, "join '" + name + "' first"));
    }
    const std::int64_t now = unix_now_ms();
    store::chat_record record{state.ids.next(now), name, who.user_id, who.username, 0, "", std::move(text), now};
    v1::Envelope push;
    fill_message(*push.mutable_chat_message(), record);
    broadcast(*it->second, push);
    store_and_acknowledge(std::move(record), connection, cid);
  });
}

void chat_service::store_and_acknowledge(store::chat_record record, connection_ptr connection, std::uint32_t cid) {
  auto& state = here();
  const bool first_of_batch = state.unstored.empty();
  state.senders.push_back({std::move(connection), cid, record.id, record.sent_at_ms});
  state.unstored.push_back(std::move(record));
  if (config_.store_batch_ms == 0) return store_batch();
  if (first_of_batch) {
    shards_.post_after(*net::shard_pool::current_shard(), std::chrono::milliseconds(config_.store_batch_ms),
                       [this] { store_batch(); });
  }
}

void chat_service::store_batch() {
  auto& state = here();
  if (state.unstored.empty()) return;
  const unsigned shard = *net::shard_pool::current_shard();
  db_.append_messages(std::exchange(state.unstored, {}), [this, shard, senders = std::exchange(state.senders, {})](
                                                               const result<void>& stored) mutable {
    // On the database thread: one task back to the shard for the whole batch, not one per sender.
    shards_.post(shard, [this, senders = std::move(senders), stored] {
      for (const auto& sender : senders) {
        if (!stored) {
          deliver(sender.connection, error_envelope(sender.cid, errc::internal, "message not stored: " + stored.error().message));
          continue;
        }
        v1::Envelope answer;
        answer.set_cid(sender.cid);
        answer.mutable_message_accepted()->set_message_id(sender.message_id);
        answer.mutable_message_accepted()->set_sent_at_ms(sender.sent_at_ms);
        deliver(sender.connection, std::move(answer));
      }
    });
  });
}

void chat_service::store_waiting_messages() {
  std::latch handed_over(static_cast<std::ptrdiff_t>(shards_.size()));
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, &handed_over] {
      store_batch();
      handed_over.count_down();
    });
  }
  handed_over.wait();
}

void chat_service::broadcast(const channel& room, const v1::Envelope& envelope) {
  const auto message = wire::encode_shared(envelope, room.wants_json());
  const unsigned local = *net::shard_pool::current_shard();
  const auto& lists = room.delivery();
  for (unsigned shard = 0; shard < lists.size(); ++shard) {
    if (!lists[shard]) continue;
    if (shard == local) {
      for (const auto& connection : *lists[shard]) connection->send(message);
      services_metrics().chat_deliveries.add(series(delivery_kind::channel), lists[shard]->size());
    } else {
      shards_.post(shard, [list = lists[shard], message] {
        for (const auto& connection : *list) connection->send(message);
        services_metrics().chat_deliveries.add(series(delivery_kind::channel), list->size());
      });
    }
  }
}

void chat_service::broadcast_presence(const channel& room, int kind, const member_info& who) {
  v1::Envelope push;
  auto* event = push.mutable_presence();
  event->set_kind(static_cast<v1::PresenceEvent::Kind>(kind));
  event->set_channel(room.name());
  event->mutable_member()->set_user_id(who.user_id);
  event->mutable_member()->set_username(who.username);
  broadcast(room, push);
}

std::uint32_t chat_service::page_size(std::uint32_t requested) const {
  return requested == 0 ? config_.history_page_default : std::min(requested, config_.history_page_max);
}

void chat_service::send_history_page(const connection_ptr& connection, std::uint32_t cid,
                                     const result<std::vector<store::chat_record>>& page, std::uint32_t limit) {
  if (!page) return deliver(connection, error_envelope(cid, errc::internal, "history unavailable: " + page.error().message));
  v1::Envelope answer;
  answer.set_cid(cid);
  auto* body = answer.mutable_history_page();
  for (const auto& record : *page) fill_message(*body->add_messages(), record);
  if (page->size() == limit) body->set_next_before_id(page->back().id);
  deliver(connection, std::move(answer));
}

void chat_service::channel_history(const connection_ptr& connection, std::uint32_t cid, std::string channel_name,
                                   std::uint64_t before_id, std::uint32_t limit) {
  limit = page_size(limit);
  db_.read([this, connection, cid, name = std::move(channel_name), before_id, limit](store::backend& store) {
    send_history_page(connection, cid, store.channel_history(name, before_id, limit), limit);
  });
}

void chat_service::deliver_to_user(std::uint64_t user_id, const wire::shared_message& message) {
  shards_.post(home_shard(user_id), [this, user_id, message] {
    const auto& users = here().home_users;
    const auto it = users.find(user_id);
    if (it == users.end()) return;  // offline: the message waits in history
    for (const auto& connection : it->second) send_on_shard(shards_, connection, message);
    services_metrics().chat_deliveries.add(series(delivery_kind::direct), it->second.size());
  });
}

void chat_service::push_to_user(std::uint64_t user_id, v1::Envelope envelope,
                                std::move_only_function<void()> when_offline) {
  shards_.post(home_shard(user_id), [this, user_id, envelope = std::move(envelope),
                                     when_offline = std::move(when_offline)]() mutable {
    const auto& users = here().home_users;
    const auto it = users.find(user_id);
    if (it == users.end() || it->second.empty()) return when_offline();
    for (const auto& connection : it->second) deliver(connection, envelope);
  });
}

void chat_service::send_direct(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                               std::string to_username, std::string text) {
  // On the sender's shard. Names never change and users are never deleted, so a cached id stays true.
  std::string key = lowered_name(to_username);
  if (const auto cached = here().recipients.find(key); cached != here().recipients.end()) {
    return send_direct_to(who, connection, cid, cached->second, std::move(text));
  }
  db_.read([this, who, connection, cid, key = std::move(key), to = std::move(to_username),
            text = std::move(text)](store::backend& store) mutable {
    auto recipient = store.find_user_by_name(to);
    if (!recipient) {
      const bool missing = recipient.error().code == errc::not_found;
      return deliver(connection, error_envelope(cid, missing ? errc::not_found : errc::internal,
                                                missing ? "no user named '" + to + "'" : recipient.error().message));
    }
    shards_.post(connection->shard(), [this, who, connection, cid, key = std::move(key),
                                       recipient = known_user{recipient->id, recipient->username},
                                       text = std::move(text)]() mutable {
      auto& cache = here().recipients;
      // Bounded: a full cache starts over rather than tracking recency on every send.
      if (cache.size() >= kMaxCachedRecipients) cache.clear();
      cache.emplace(std::move(key), recipient);
      send_direct_to(who, connection, cid, recipient, std::move(text));
    });
  });
}

// On the sender's shard: its id generator orders this sender's direct messages.
void chat_service::send_direct_to(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                  const known_user& recipient, std::string text) {
  const std::int64_t now = unix_now_ms();
  store::chat_record record{here().ids.next(now), "", who.user_id, who.username, recipient.id, recipient.username,
                            std::move(text), now};
  v1::Envelope push;
  fill_message(*push.mutable_chat_message(), record);
  // Every connection of both people sees it (JSON too: we do not know their formats here).
  const auto message = wire::encode_shared(push, true);
  deliver_to_user(recipient.id, message);
  if (recipient.id != who.user_id) deliver_to_user(who.user_id, message);
  store_and_acknowledge(std::move(record), connection, cid);
}

void chat_service::direct_history(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                  std::string with_username, std::uint64_t before_id, std::uint32_t limit) {
  limit = page_size(limit);
  db_.read([this, who, connection, cid, with = std::move(with_username), before_id, limit](store::backend& store) {
    auto other = store.find_user_by_name(with);
    if (!other) return deliver(connection, error_envelope(cid, errc::not_found, "no user named '" + with + "'"));
    send_history_page(connection, cid, store.direct_history(who.user_id, other->id, before_id, limit), limit);
  });
}

}  // namespace guildhall::services
