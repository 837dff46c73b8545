// rooms_service: join-or-create (JoinRoom without a room id). A search gathers joinable rooms of the type whose
// label matches the options from every shard and tries them one by one. When none takes the player, the decision
// to create a room is made on one shard per kind of search (type and options): the search's coordinator. Without
// that, searches sent at the same moment each found nothing and each created a room, and a crowd pressing "quick
// join" together was spread over rooms of one. The coordinator lets the first create and holds the others until
// the room exists, then sends them to it; a room that is full or gone by then sends them back to decide again.
#include <functional>

#include "services/rooms/detail/checked_options.hpp"
#include "services/rooms/detail/live_room.hpp"
#include "services/rooms/rooms_service.hpp"

namespace guildhall::services {
namespace v1 = wire::v1;
namespace {

// Join-or-create looks at this many candidate rooms before creating one.
constexpr std::size_t kMaxJoinCandidates = 8;
// A room a search created is offered to later searches of its kind for this long: long enough for every search
// that started before it existed (and so could not find it) to reach the coordinator, after which the scan finds it.
constexpr std::int64_t kCreationMemoryMs = 5'000;
// Past this many remembered creations on a shard, the expired ones are swept.
constexpr std::size_t kCreationSweepAt = 256;

bool joinable(const room_instance& room, const room_options& wanted) {
  return !room.finished() && !room.is_private() && !room.locked() && room.free_seats() > 0 &&
         label_matches(room.label(), wanted);
}

// Searches with the same key would join the same rooms: the type and the options, in their (sorted) order.
std::string search_key(const room_type& type, const room_options& options) {
  std::string key(type.name());
  for (const auto& [name, value] : options) {
    key += '\n';
    key += name;
    key += '=';
    key += value;
  }
  return key;
}

}  // namespace

// A join-or-create in progress: candidates gathered from every shard, then tried one by one.
struct rooms_service::room_search {
  identity who;
  connection_ptr connection;
  std::uint32_t cid = 0;
  const room_type* type = nullptr;
  room_options options;
  std::string key;
  unsigned coordinator = 0;
  std::vector<std::uint64_t> candidates;
  unsigned shards_left = 0;
  std::size_t next = 0;
};

void rooms_service::join_or_create(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                   v1::JoinRoom request) {
  const room_type* type = type_or_refuse(connection, cid, request.type());
  if (!type) return;
  auto options = checked_options(request.options());
  if (!options) return reply_error(connection, cid, options.error());
  if (!within_connection_cap(connection, cid)) return;
  auto search = std::make_shared<room_search>();
  search->who = who;
  search->connection = connection;
  search->cid = cid;
  search->type = type;
  search->options = std::move(*options);
  search->key = search_key(*type, search->options);
  search->coordinator = static_cast<unsigned>(std::hash<std::string>{}(search->key) % shards_.size());
  search->shards_left = shards_.size();
  const unsigned home = connection->shard();
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    shards_.post(shard, [this, search, home] {
      std::vector<std::uint64_t> found;
      for (const auto& [room_id, live] : here().rooms) {
        if (found.size() >= kMaxJoinCandidates) break;
        if (&live->room->type() == search->type && joinable(*live->room, search->options)) found.push_back(room_id);
      }
      shards_.post(home, [this, search, found = std::move(found)] {
        search->candidates.insert(search->candidates.end(), found.begin(), found.end());
        if (--search->shards_left == 0) try_candidates(search);
      });
    });
  }
}

// On the connection's shard: joins the next candidate, or asks the coordinator when none is left.
void rooms_service::try_candidates(std::shared_ptr<room_search> search) {
  if (search->next >= search->candidates.size() || search->next >= kMaxJoinCandidates) {
    const unsigned coordinator = search->coordinator;
    return shards_.post(coordinator, [this, search = std::move(search)] { join_or_create_decide(search); });
  }
  const std::uint64_t room_id = search->candidates[search->next++];
  const unsigned home = search->connection->shard();
  shards_.post(room_shard(room_id), [this, search, room_id, home] {
    join_here(search->who, search->connection, search->cid, room_id, false, {}, [this, search, home](const error&) {
      shards_.post(home, [this, search] { try_candidates(search); });  // taken meanwhile: the next one
    });
  });
}

void rooms_service::join_or_create_decide(std::shared_ptr<room_search> search) {
  auto& creating = here().creating;
  const std::int64_t now_ms = steady_now_us() / 1000;
  if (creating.size() >= kCreationSweepAt) {
    std::erase_if(creating, [now_ms](const auto& entry) {
      return entry.second.room_id != 0 && now_ms - entry.second.made_ms > kCreationMemoryMs;
    });
  }
  if (auto it = creating.find(search->key); it != creating.end()) {
    creation& c = it->second;
    if (c.room_id == 0) return c.waiting.push_back(std::move(search));  // being made: wait for it
    if (now_ms - c.made_ms <= kCreationMemoryMs) return join_created(std::move(search), c.room_id);
    creating.erase(it);  // old enough for the scan to have found it: this search's own scan said it is no good
  }
  creating[search->key];  // this search makes the room; others of its kind wait
  const unsigned coordinator = search->coordinator;
  admit_and_create(search->who, search->connection, search->cid, *search->type, search->options, false, {},
                   [this, coordinator, key = search->key](std::uint64_t room_id) {
                     shards_.post(coordinator, [this, key, room_id] { join_or_create_created(key, room_id); });
                   });
}

// On the coordinator: the room a search of `key` was making exists (room_id), or could not be made (0).
void rooms_service::join_or_create_created(const std::string& key, std::uint64_t room_id) {
  auto& creating = here().creating;
  const auto it = creating.find(key);
  if (it == creating.end()) return;
  auto waiting = std::move(it->second.waiting);
  if (room_id == 0) {
    creating.erase(it);
    for (auto& search : waiting) join_or_create_decide(std::move(search));  // the first of them tries to make it
    return;
  }
  it->second.room_id = room_id;
  it->second.made_ms = steady_now_us() / 1000;
  for (auto& search : waiting) join_created(std::move(search), room_id);
}

// From the coordinator: joins the room a search of the same kind made. A refusal (full, or gone) forgets that room
// and decides again, which makes another.
void rooms_service::join_created(std::shared_ptr<room_search> search, std::uint64_t room_id) {
  const unsigned coordinator = search->coordinator;
  shards_.post(room_shard(room_id), [this, search = std::move(search), room_id, coordinator]() mutable {
    auto& s = *search;
    join_here(s.who, s.connection, s.cid, room_id, false, {},
              [this, search = std::move(search), room_id, coordinator](const error&) mutable {
                shards_.post(coordinator, [this, search = std::move(search), room_id]() mutable {
                  auto& creating = here().creating;
                  if (auto it = creating.find(search->key); it != creating.end() && it->second.room_id == room_id) {
                    creating.erase(it);
                  }
                  join_or_create_decide(std::move(search));
                });
              });
  });
}

}  // namespace guildhall::services
