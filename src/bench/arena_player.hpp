#pragma once
// One headless bot player of the arena benchmark, a client as a real one is: it logs in as a guest, sits in an
// arena room (creating it, or joining it by id), decodes every RoomSnapshot with the snapshot codec against the
// baseline the server names (that decoding is the honest cost of a client), and sends one RoomInput per
// send_input() whose buttons the arena bot brain picks from the decoded world, carrying the ack of the newest
// decoded snapshot. Every byte read from the socket is counted (UDP: whole datagrams, headers and MAC included).
// A udp:// URL: the player fetches a connect token over HTTP after logging in, connects with it (the server
// authenticates it by the token and pushes Authenticated) and sends its inputs unreliably, each message carrying
// its last kUdpInputCopies inputs as the SDK's rooms do against loss.
// Thread-safety: lives on the load generator's io_context thread; every call and callback happens there.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <guildhall/room.hpp>

#include "base/result.hpp"
#include "client/client_connection.hpp"
#include "client/message_connection.hpp"
#include "games/arena/arena_bot.hpp"
#include "wire/snapshot/entity_set.hpp"

namespace guildhall::bench {

// What the run wants to hear about. Both may be called many times; neither is called after the run ends.
struct arena_player_events {
  std::function<void(const std::string& what)> on_error;   // a refusal or an undecodable snapshot
  std::function<void(const std::string& reason)> on_closed;  // the connection or the seat is gone
};

// Counted at the client, since the player connected.
struct arena_player_counts {
  std::uint64_t snapshots = 0;       // decoded
  std::uint64_t decode_errors = 0;   // undecodable, or against a baseline this client no longer holds
  std::uint64_t events = 0;          // RoomEvent pushes
  std::uint64_t inputs_sent = 0;
};

class arena_player {
 public:
  arena_player(boost::asio::io_context& io, client::server_url url, std::uint64_t seed, arena_player_events events);

  // Logs in as guest `user` (a blocking HTTP call, as every CLI client's login), then connects and authenticates.
  void connect(const std::string& user, std::move_only_function<void(result<void>)> done);
  // Creates an arena room with `options` and sits in it; `done` gets the room's id.
  void create_room(const room_options& options, std::move_only_function<void(result<std::uint64_t>)> done);
  void join_room(std::uint64_t room_id, std::move_only_function<void(result<void>)> done);
  // One input: the brain thinks on the newest decoded world; the message acks that world's tick.
  void send_input();

  std::uint64_t bytes_received() const { return connection_ ? connection_->bytes_received() : 0; }
  const arena_player_counts& counts() const { return counts_; }
  int tick_hz() const { return tick_hz_; }

 private:
  struct kept_snapshot {
    std::uint32_t tick = 0;
    wire::snapshot::entity_set world;
  };
  void authenticate(const std::string& token, std::move_only_function<void(result<void>)> done);
  void connect_udp(const std::string& access_token, std::move_only_function<void(result<void>)> done);
  void on_push(const wire::v1::Envelope& push);
  void on_snapshot(const wire::v1::RoomSnapshot& snapshot);
  void error(const std::string& what);
  void sit(const wire::v1::RoomJoined& joined);
  games::arena::arena_input think();

  boost::asio::io_context& io_;
  // WebSocket or TCP from construction; UDP once connect() has its connect token.
  std::shared_ptr<client::message_connection> connection_;
  client::server_url url_;
  arena_player_events events_;
  games::arena::arena_bot brain_;
  // The snapshots this client holds, oldest first: the server names one of them as each delta's baseline (the
  // acked one, so a recent one; a few round trips' worth are kept).
  std::deque<kept_snapshot> kept_;
  const wire::snapshot::entity_set empty_;
  std::uint64_t room_id_ = 0;
  int seat_ = -1;
  int tick_hz_ = 30;
  std::uint32_t newest_tick_ = 0;
  std::uint32_t sequence_ = 0;
  arena_player_counts counts_;
  // UDP: the inputs the next message repeats (newest last), and who waits for the pushed Authenticated.
  std::deque<wire::v1::InputFrame> recent_inputs_;
  std::move_only_function<void(result<void>)> authenticated_done_;
};

}  // namespace guildhall::bench
