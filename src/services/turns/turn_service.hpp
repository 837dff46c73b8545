#pragma once
// The turn-based engine: matches, each living on the shard its id maps to, in memory while open or active and
// in the store always. Every change is made in memory, written through the database's group commit, and only
// once durable acknowledged and pushed to the match's subscribers, in order. Clocks are checked by a sweep on
// every shard; bots think on their own threads and move through the same checks as people.
// Thread-safety: request methods are called on the calling connection's shard; a match is touched only on its
// shard; answers go back to the connection's shard.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/ids.hpp"
#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "services/chat/chat_config.hpp"
#include "services/bots/bot_runner.hpp"
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
  // Open matches the caller could join or is seated in (invite-only ones are shown to their guests only). With
  // `subscribe` the connection then gets an OpenMatchesChanged push for every change to that list (its creator
  // coming or going included); without it, an earlier subscription ends.
  void list_open_matches(const identity& who, const connection_ptr& connection, std::uint32_t cid, std::string game,
                         bool subscribe);
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
  // The user has a new authenticated connection (call on its shard): they are present in their open matches.
  void connected(const identity& who, const connection_ptr& connection);
  // The connection is gone (call on its shard): it stops receiving the events of `opened` matches and open-match
  // pushes; the user's last connection leaving makes them away in their open matches.
  void disconnected(const identity& who, const connection_ptr& connection, const std::vector<std::uint64_t>& opened);

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
    bool bot_considering_draw = false;  // a draw offer to the bot is with the bot threads
    bool listed = false;                 // open-match watchers have been told it is open
    std::shared_ptr<const store::match_record> listed_as;  // what they were told, to know who saw it
    std::vector<std::uint64_t> indexed_users;  // seated people registered in their home shard's open_seats
    std::vector<std::move_only_function<void()>> when_settled;  // run once no write is in flight
  };
  // A connection that asked for open-match pushes, on its own shard.
  struct lobby_watcher {
    connection_ptr connection;
    identity who;
    std::string game;  // empty: every game
  };
  struct shard_state {
    explicit shard_state(unsigned shard) : ids(shard) {}
    id_generator ids;
    std::unordered_map<std::uint64_t, std::unique_ptr<live_match>> matches;
    std::vector<lobby_watcher> watchers;
    // For the users homed on this shard (user_id % shards): how many connections they have, and the open
    // matches they sit in, so a login or logout reaches just those matches.
    std::unordered_map<std::uint64_t, unsigned> connections;
    std::unordered_map<std::uint64_t, std::unordered_set<std::uint64_t>> open_seats;
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
  unsigned home_shard(std::uint64_t user_id) const { return static_cast<unsigned>(user_id % shards_.size()); }
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
  // A draw offer stands against a bot: ask it, and accept or decline for it when it answers.
  void ask_bot_about_draw(live_match& live);
  void sweep(unsigned shard);

  // Open-match list (turn_service_lobby.cpp). On the connection's shard: it closed, so it watches no more, and
  // the user's last connection leaving makes them away.
  void left_lobby(const identity& who, const connection_ptr& connection);
  // On the home shard: the user came or went.
  void presence_changed(std::uint64_t user_id, bool present);
  // On the match's shard: marks the user present or away in the match and tells the watchers.
  void set_presence(std::uint64_t match_id, std::uint64_t user_id, bool present);
  // After a durable change: tells the watchers if the match entered, changed in or left the open list, and keeps
  // the home shards' open_seats up to date.
  void update_lobby(live_match& live);
  void reindex_open_seats(live_match& live);
  void tell_watchers(wire::v1::OpenMatchesChanged::Kind kind, const live_match& live,
                     std::shared_ptr<const store::match_record> seen_before);
  static std::vector<std::uint64_t> seated_people(const match& game);
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
  std::atomic<unsigned> watcher_count_{0};  // every shard's watchers: none, and changes are not fanned out
};

}  // namespace guildhall::services
