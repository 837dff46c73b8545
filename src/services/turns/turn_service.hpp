#pragma once
// The turn-based engine: matches, each living on the shard its id maps to, in memory while open or active and
// in the store always. Every change is made in memory, written through the database's group commit, and only
// once durable acknowledged and pushed to the match's subscribers, in order. Clocks are checked by a sweep on
// every shard; bots think on their own threads and move through the same checks as people.
// Thread-safety: request methods are called on the calling connection's shard; a match is touched only on its
// shard; answers go back to the connection's shard.
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/ids.hpp"
#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "services/chat/chat_config.hpp"
#include "services/turns/bot_runner.hpp"
#include "services/turns/game_registry.hpp"
#include "services/turns/match.hpp"
#include "store/database.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

using connection_ptr = std::shared_ptr<net::connection>;  // as in services/chat
// Pushes a message to every connection of a user, or runs `when_offline` if they have none (chat_service knows).
using push_to_user_fn = std::function<void(std::uint64_t user_id, wire::v1::Envelope message,
                                           std::move_only_function<void()> when_offline)>;

class turn_service {
 public:
  turn_service(net::shard_pool& shards, store::database& db, const game_registry& games, bot_runner& bots,
               player_ref bot_player, push_to_user_fn push_to_user, turns_config config);
  ~turn_service();

  // Takes every open and active match back from the store. Call before the shards start.
  result<void> load();
  // Starts each shard's clock sweep. Call after the shards start.
  void start();

  // Returns the id the match will have if it is created (0 when the request is refused at once), so the session
  // can unsubscribe the connection from it when it closes.
  std::uint64_t create_match(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                             wire::v1::CreateMatch request);
  // Open matches the caller could join or is seated in (invite-only ones are shown to their guests only).
  void list_open_matches(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::string game);
  void list_my_matches(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                       bool include_finished);
  void join_match(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t match_id);
  void open_match(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t match_id,
                  std::uint32_t after_ply);
  void leave_match(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t match_id);
  void make_move(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t match_id,
                 std::string move, std::optional<std::uint32_t> ply);
  void act(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::uint64_t match_id,
           wire::v1::MatchAction::Kind kind);
  void leaderboard(const connection_ptr& connection, std::uint32_t cid, std::string game, std::string around,
                   std::uint32_t limit);
  // Pushes the user's stored notifications not yet acknowledged (call once they authenticate).
  void deliver_stored_notifications(const identity& who, const connection_ptr& connection);
  // Deletes the user's notifications the client has shown (AckNotifications); answers once that is durable.
  void acknowledge_notifications(const identity& who, const connection_ptr& connection, std::uint32_t cid,
                                 std::vector<std::uint64_t> ids);
  // The connection is gone: it stops receiving the events of `opened` matches.
  void disconnected(const connection_ptr& connection, const std::vector<std::uint64_t>& opened);

  const game_registry& games() const { return games_; }

 private:
  struct subscriber {
    connection_ptr connection;
    int seat;  // -1: spectator
  };
  // A match in memory, on its shard.
  struct live_match {
    explicit live_match(match state) : game(std::move(state)) {}
    match game;
    std::vector<subscriber> subscribers;
    unsigned writes_in_flight = 0;
    bool recovering = false;  // a write failed: refuse requests until the stored state is read back
    bool bot_thinking = false;
    std::vector<std::move_only_function<void()>> when_settled;  // run once no write is in flight
  };
  struct shard_state {
    explicit shard_state(unsigned shard) : ids(shard) {}
    id_generator ids;
    std::unordered_map<std::uint64_t, std::unique_ptr<live_match>> matches;
  };
  // What a change sends once it is durable.
  struct outcome {
    bool insert = false;  // the match is new
    bool rate = false;    // the change ended a rated match: update the players' ratings with it
    wire::v1::MatchEvent::Kind event = wire::v1::MatchEvent::KIND_UNSPECIFIED;
    std::optional<store::move_record> move;
    std::vector<wire::v1::Envelope> events_by_seat;  // index seat + 1 (0: spectators); encoded when sent
    connection_ptr reply_to;
    std::uint32_t cid = 0;
    std::optional<wire::v1::Envelope> reply;
  };
  using change = std::move_only_function<result<void>(match&, std::int64_t now_ms)>;

  unsigned match_shard(std::uint64_t match_id) const { return static_cast<unsigned>(match_id % shards_.size()); }
  shard_state& here();
  live_match* find_here(std::uint64_t match_id);
  // Runs `work` on the match's shard with the live match (nullptr when it is not in memory).
  void on_match(std::uint64_t match_id, std::move_only_function<void(live_match*)> work);

  // Applies `apply` to a live match and persists it; on success sends the events and the reply.
  void change_match(live_match& live, const identity& who, const connection_ptr& connection, std::uint32_t cid,
                    wire::v1::MatchEvent::Kind event, change apply,
                    std::optional<wire::v1::Envelope> reply_instead = std::nullopt);
  void run_if_settled(live_match& live);
  void persist(live_match& live, outcome result_of_change);
  void after_durable(std::uint64_t match_id, outcome done, const result<void>& written);
  void publish(live_match& live, const outcome& done);
  void notify_absent_players(const live_match& live, wire::v1::MatchEvent::Kind event);
  void end_by_expiry(live_match& live, std::int64_t now_ms);
  void notify(std::uint64_t user_id, const match& game, int kind, std::string text);
  void recover(std::uint64_t match_id);
  // A match as the store holds it, rebuilt with its moves. On a database thread.
  result<match> read_stored(store::backend& store, std::uint64_t match_id) const;
  result<match> restore_stored(store::backend& store, store::match_record record) const;
  void subscribe(live_match& live, const connection_ptr& connection, int seat);
  void ask_bot(live_match& live);
  void sweep(unsigned shard);
  // Creates the match on this shard and persists it; nullptr (the client told why) when the game refuses it.
  live_match* place(store::match_record header, const identity& who, const connection_ptr& connection,
                    std::uint32_t cid);
  void reply(const connection_ptr& connection, wire::v1::Envelope envelope);
  void reply_error(const connection_ptr& connection, std::uint32_t cid, const error& failure);
  // The new match's seats and settings from a validated request. Any thread.
  store::match_record header_from(const identity& who, const wire::v1::CreateMatch& request, int rating) const;

  net::shard_pool& shards_;
  store::database& db_;
  const game_registry& games_;
  bot_runner& bots_;
  player_ref bot_player_;
  push_to_user_fn push_to_user_;
  turns_config config_;
  std::vector<std::unique_ptr<shard_state>> states_;
};

}  // namespace guildhall::services
