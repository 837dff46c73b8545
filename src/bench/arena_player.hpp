#pragma once
// One headless bot player of the arena benchmark, a client as a game's is: one guildhall::client::client (the
// SDK) that logs in as a guest, connects over the transport the URL names (UDP: the SDK fetches its connect token
// over HTTP), sits in an arena room (creating it, or joining it by id) and sends one input per send_input() whose
// buttons the arena bot brain picks from the newest world the SDK decoded. The SDK keeps the baselines, decodes
// every snapshot (the honest cost of a client) and acknowledges the newest tick in each input; each input rides in
// three messages over UDP, as the SDK's rooms do against loss. bytes_received() is what the SDK read off the
// network: UDP whole datagrams, headers and MAC included; WebSocket and TCP frames with their headers.
// Thread-safety: lives on the load generator's thread; the SDK calls back only inside poll(), which the run's
// client_pump calls on that thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <guildhall/client/client.hpp>
#include <guildhall/room.hpp>

#include "base/result.hpp"
#include "games/arena/arena_bot.hpp"

namespace guildhall::bench {

// What the run wants to hear about. Both may be called many times; neither is called after the run ends.
struct arena_player_events {
  std::function<void(const std::string& what)> on_error;   // a refusal or an undecodable snapshot
  std::function<void(const std::string& reason)> on_closed;  // the connection or the seat is gone
};

// Counted at the client, since the player connected.
struct arena_player_counts {
  std::uint64_t snapshots = 0;       // decoded
  std::uint64_t decode_errors = 0;   // the SDK's bad_snapshot: undecodable, stale, or against a lost baseline
  std::uint64_t events = 0;          // room events
  std::uint64_t inputs_sent = 0;
};

class arena_player {
 public:
  arena_player(const guildhall::client::client_options& options, std::uint64_t seed, arena_player_events events);

  // Logs in as guest `user` (HTTP, through poll()), then connects and authenticates.
  void connect(const std::string& user, std::function<void(result<void>)> done);
  // Creates an arena room with `options` and sits in it; `done` gets the room's id.
  void create_room(const room_options& options, std::function<void(result<std::uint64_t>)> done);
  void join_room(std::uint64_t room_id, std::function<void(result<void>)> done);
  // One input: the brain thinks on the newest decoded world; the message acks that world's tick.
  void send_input();

  guildhall::client::client& sdk() { return client_; }
  std::uint64_t bytes_received() const { return client_.network().bytes_received; }
  const arena_player_counts& counts() const { return counts_; }

 private:
  // Where the brain's fields sit in the room's schema (entity_state::fields), found once at the join.
  struct player_fields {
    std::uint8_t kind = 0;
    std::size_t x = 0, y = 0, health = 0, alive = 0, seat = 0;
  };
  void install_handlers();
  result<void> sit(const guildhall::client::room_joined& joined);
  void on_snapshot(const guildhall::client::room_snapshot& snapshot);
  void error(const std::string& what);
  games::arena::arena_input think();

  guildhall::client::client client_;
  arena_player_events events_;
  games::arena::arena_bot brain_;
  std::optional<player_fields> fields_;
  int seat_ = -1;
  int tick_hz_ = 30;
  // The newest decoded world as the brain sees it: every player entity, this one included.
  std::vector<games::arena::bot_body> bodies_;
  arena_player_counts counts_;
};

}  // namespace guildhall::bench
