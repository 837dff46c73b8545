// The public C++ SDK (<guildhall/client.hpp>, linked as the shared library a game links) against a real
// `guildhall serve`: logins, chat between two clients, a room's decoded snapshots, the matchmaker, and the faults
// players meet: nothing listening, a server that never answers, a server shutting down and coming back.
// Its own executable: the SDK's .so holds its own copy of the protocol's generated code, which may not be
// registered twice in one process (the other integration tests link the internal libraries).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <guildhall/client.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../integration/server_process.hpp"
#include "../integration/silent_listener.hpp"

namespace guildhall::testing {
namespace {

namespace gc = guildhall::client;
using namespace std::chrono_literals;

const std::vector<std::string> kSettings = {"matchmaker.interval_ms=50", "matchmaker.fill_wait_ms=500",
                                            "auth.logins_per_ip_per_minute=0", "limits.max_connections_per_ip=0",
                                            "chat.messages_per_second=1000", "chat.message_burst=1000"};

gc::client_options options_for(std::uint16_t http_port) {
  gc::client_options options{.server_url = "ws://127.0.0.1:" + std::to_string(http_port) + "/ws"};
  options.connect_timeout_ms = 2000;
  options.handshake_timeout_ms = 1000;
  options.login_timeout_ms = 2000;
  options.request_timeout_ms = 5000;
  options.reconnection.first_delay_ms = 200;
  options.reconnection.max_delay_ms = 500;
  return options;
}

// Polls every client until `done` holds or `limit` passes, as a game loop would (a frame every 2 ms).
bool poll_until(std::vector<gc::client*> clients, const std::function<bool()>& done,
                std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    for (auto* c : clients) c->poll();
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return false;
}

// Waits for one operation's callback.
template <typename T>
std::optional<gc::client_result<T>> wait_for(gc::client& c, std::function<void(gc::callback<T>)> start,
                                            std::chrono::milliseconds limit = 10s) {
  std::optional<gc::client_result<T>> outcome;
  start([&](gc::client_result<T> r) { outcome = std::move(r); });
  poll_until({&c}, [&] { return outcome.has_value(); }, limit);
  return outcome;
}

std::string describe(const gc::client_error& e) { return std::string(gc::to_string(e.code)) + ": " + e.message; }

// A guest, connected.
void sign_in(gc::client& c, const std::string& device) {
  auto login = wait_for<gc::login_session>(c, [&](auto done) { c.login_guest(device, done); });
  ASSERT_TRUE(login && *login) << (login ? describe(login->error()) : "no answer");
  auto connected = wait_for<gc::connected_info>(c, [&](auto done) { c.connect(done); });
  ASSERT_TRUE(connected && *connected) << (connected ? describe(connected->error()) : "no answer");
}

TEST(SdkClient, LogsInWithPasswordAsGuestAndWithARefreshToken) {
  server_process server(kSettings);
  gc::client c(options_for(server.http_port()));
  auto registered = wait_for<gc::login_session>(c, [&](auto done) { c.register_account("sdk-ada", "correct horse", done); });
  ASSERT_TRUE(registered && *registered) << describe(registered->error());
  auto login = wait_for<gc::login_session>(c, [&](auto done) { c.login("sdk-ada", "correct horse", done); });
  ASSERT_TRUE(login && *login);
  EXPECT_EQ((*login)->username, "sdk-ada");
  EXPECT_FALSE((*login)->refresh_token.empty());
  auto wrong = wait_for<gc::login_session>(c, [&](auto done) { c.login("sdk-ada", "wrong", done); });
  ASSERT_TRUE(wrong && !*wrong);
  EXPECT_EQ(wrong->error().code, gc::client_errc::auth_failed) << describe(wrong->error());
  auto refreshed = wait_for<gc::login_session>(c, [&](auto done) { c.login_refresh((*login)->refresh_token, done); });
  ASSERT_TRUE(refreshed && *refreshed) << describe(refreshed->error());
  EXPECT_EQ((*refreshed)->user_id, (*login)->user_id);
  auto guest = wait_for<gc::login_session>(c, [&](auto done) { c.login_guest("sdk-device-1", done); });
  ASSERT_TRUE(guest && *guest);
  EXPECT_NE((*guest)->user_id, (*login)->user_id);
  auto connected = wait_for<gc::connected_info>(c, [&](auto done) { c.connect(done); });
  ASSERT_TRUE(connected && *connected);
  EXPECT_EQ((*connected)->user_id, (*guest)->user_id);
  EXPECT_TRUE(c.connected());
}

TEST(SdkClient, ChatRoundTripBetweenTwoClients) {
  server_process server(kSettings);
  gc::client ada(options_for(server.http_port())), bob(options_for(server.http_port()));
  std::vector<gc::chat_message> heard;
  bob.set_handlers({.on_chat_message = [&](const gc::chat_message& m) { heard.push_back(m); }});
  sign_in(ada, "sdk-chat-ada");
  sign_in(bob, "sdk-chat-bob");
  for (auto* c : {&ada, &bob}) {
    auto joined = wait_for<gc::channel_joined>(*c, [&](auto done) { c->join_channel("sdk-lobby", done); });
    ASSERT_TRUE(joined && *joined) << describe(joined->error());
  }
  auto sent = wait_for<gc::message_sent>(ada, [&](auto done) { ada.send_message("sdk-lobby", "hello bob", done); });
  ASSERT_TRUE(sent && *sent) << describe(sent->error());
  ASSERT_TRUE(poll_until({&ada, &bob}, [&] { return !heard.empty(); }));
  EXPECT_EQ(heard[0].text, "hello bob");
  EXPECT_EQ(heard[0].channel, "sdk-lobby");
  EXPECT_EQ(heard[0].message_id, (*sent)->message_id);
  auto history = wait_for<gc::history_page>(bob, [&](auto done) { bob.channel_history("sdk-lobby", 0, 10, done); });
  ASSERT_TRUE(history && *history);
  ASSERT_EQ((*history)->messages.size(), 1u);
  // A channel not joined is the server's refusal, as a value.
  auto refused = wait_for<gc::message_sent>(ada, [&](auto done) { ada.send_message("elsewhere", "hi", done); });
  ASSERT_TRUE(refused && !*refused);
  EXPECT_EQ(refused->error().code, gc::client_errc::not_member);
}

// The tests above and below use the default transport, automatic: UDP. These two cover the other paths.
TEST(SdkClient, ChatOverWebSocketAndTcpReachesAUdpPlayer) {
  server_process server(kSettings);
  auto over = [&](gc::transport_preference transport) {
    auto options = options_for(server.http_port());
    options.transport = transport;
    if (transport == gc::transport_preference::tcp) {
      options.server_url = "tcp://127.0.0.1:" + std::to_string(server.tcp_port()) +
                           "?http_port=" + std::to_string(server.http_port());
    }
    return options;
  };
  gc::client on_udp(over(gc::transport_preference::udp)), on_ws(over(gc::transport_preference::websocket)),
      on_tcp(over(gc::transport_preference::tcp));
  std::vector<std::string> heard;
  on_udp.set_handlers({.on_chat_message = [&](const gc::chat_message& m) { heard.push_back(m.text); }});
  sign_in(on_udp, "sdk-mixed-udp");
  sign_in(on_ws, "sdk-mixed-ws");
  sign_in(on_tcp, "sdk-mixed-tcp");
  for (auto* c : {&on_udp, &on_ws, &on_tcp}) {
    auto joined = wait_for<gc::channel_joined>(*c, [&](auto done) { c->join_channel("sdk-mixed", done); });
    ASSERT_TRUE(joined && *joined) << describe(joined->error());
  }
  for (auto* c : {&on_ws, &on_tcp}) {
    auto sent = wait_for<gc::message_sent>(*c, [&](auto done) { c->send_message("sdk-mixed", "from afar", done); });
    ASSERT_TRUE(sent && *sent) << describe(sent->error());
  }
  ASSERT_TRUE(poll_until({&on_udp, &on_ws, &on_tcp}, [&] { return heard.size() >= 2; }));
  EXPECT_EQ(heard, (std::vector<std::string>{"from afar", "from afar"}));

  // Each says which transport it is on; UDP measures its round trip by itself, the others by ping().
  using kind = gc::network_stats::transport_kind;
  EXPECT_EQ(on_udp.network().transport, kind::udp);
  EXPECT_EQ(on_ws.network().transport, kind::websocket);
  EXPECT_EQ(on_tcp.network().transport, kind::tcp);
  // The message layer measures in whole milliseconds: on loopback its round trip may well be 0.
  EXPECT_GE(on_udp.network().rtt_ms, 0.0);
  EXPECT_LT(on_udp.network().rtt_ms, 1000.0);
  EXPECT_GT(on_udp.network().bytes_received, 0u);
  EXPECT_EQ(on_ws.network().rtt_ms, 0.0) << "a round trip before any ping";
  auto ping = wait_for<double>(on_ws, [&](auto done) { on_ws.ping(done); });
  ASSERT_TRUE(ping && *ping) << describe(ping->error());
  EXPECT_GT(**ping, 0.0);
  EXPECT_LT(**ping, 1000.0);
  EXPECT_EQ(on_ws.network().rtt_ms, **ping);
}

TEST(SdkClient, AutomaticFallsBackToWebSocketWhenTheServerHasNoUdp) {
  auto settings = kSettings;
  settings.push_back("udp.enabled=false");
  server_process server(settings);
  gc::client automatic(options_for(server.http_port()));
  sign_in(automatic, "sdk-fallback");
  EXPECT_TRUE(automatic.connected());
  EXPECT_EQ(automatic.network().transport, gc::network_stats::transport_kind::websocket);
  auto joined = wait_for<gc::channel_joined>(automatic, [&](auto done) { automatic.join_channel("sdk-fb", done); });
  ASSERT_TRUE(joined && *joined) << describe(joined->error());

  auto strict = options_for(server.http_port());
  strict.transport = gc::transport_preference::udp;
  gc::client udp_only(strict);
  auto login = wait_for<gc::login_session>(udp_only, [&](auto done) { udp_only.login_guest("sdk-udp-only", done); });
  ASSERT_TRUE(login && *login);
  auto connected = wait_for<gc::connected_info>(udp_only, [&](auto done) { udp_only.connect(done); });
  ASSERT_TRUE(connected && !*connected) << "connected without UDP";
  EXPECT_EQ(udp_only.network().transport, gc::network_stats::transport_kind::none);
}

TEST(SdkClient, RoomSnapshotsArriveDecoded) {
  server_process server(kSettings);
  gc::client c(options_for(server.http_port()));
  std::vector<gc::room_snapshot> snapshots;
  std::vector<gc::client_error> errors;
  c.set_handlers({.on_room_snapshot = [&](const gc::room_snapshot& s) { snapshots.push_back(s); },
                  .on_error = [&](const gc::client_error& e) { errors.push_back(e); }});
  sign_in(c, "sdk-arena");
  auto joined = wait_for<gc::room_joined>(c, [&](auto done) {
    c.create_room("arena", {{"bots", "3"}, {"seed", "5"}}, false, done);
  });
  ASSERT_TRUE(joined && *joined) << describe(joined->error());
  const auto player = (*joined)->schema.kind_of("player");
  ASSERT_TRUE(player);
  const auto x = (*joined)->schema.field_of(*player, "x");
  ASSERT_TRUE(x);
  // Sixty ticks (two seconds at 30 Hz), each a delta against the tick this client acknowledged.
  const std::uint8_t idle[3] = {0, 0, 0};  // the arena's input: no buttons, aim 0
  ASSERT_TRUE(poll_until({&c}, [&] {
    if (c.newest_snapshot_tick() != 0) (void)c.send_room_input(idle);
    return snapshots.size() >= 60;
  }));
  EXPECT_TRUE(errors.empty()) << describe(errors.front());
  const auto& last = snapshots.back();
  EXPECT_EQ(last.room_id, (*joined)->room.room_id);
  int players = 0;
  for (const auto& entity : last.entities) {
    if (entity.kind != *player) continue;
    ++players;
    EXPECT_GE(entity.fields[*x], 0.0);
  }
  EXPECT_GE(players, 1);  // this client at least; bots out of view radius are filtered out
  EXPECT_GT(c.newest_snapshot_tick(), 0u);
  for (std::size_t i = 1; i < snapshots.size(); ++i) EXPECT_GT(snapshots[i].tick, snapshots[i - 1].tick);
  auto left = wait_for<void>(c, [&](auto done) { c.leave_room(done); });
  ASSERT_TRUE(left && *left) << describe(left->error());
  EXPECT_EQ(c.room_id(), 0u);
}

// A game that draws the others interpolated names the tick on screen with each input (view_tick), so that the
// server rewinds to it for lag compensation; the input is applied at the tick the game predicted (client_tick).
TEST(SdkClient, RoomInputsStampedWithTheGamesTicksAreApplied) {
  server_process server(kSettings);
  gc::client c(options_for(server.http_port()));
  std::vector<gc::client_error> errors;
  std::optional<std::uint8_t> shot;
  std::size_t shot_seat = 0;
  int my_seat = -1, own_shots = 0;
  c.set_handlers({.on_room_snapshot =
                      [&](const gc::room_snapshot& s) {
                        for (const auto& e : s.entities) {
                          if (shot && e.kind == *shot && e.fields.size() > shot_seat) {
                            own_shots += int(e.fields[shot_seat]) == my_seat ? 1 : 0;
                          }
                        }
                      },
                  .on_error = [&](const gc::client_error& e) { errors.push_back(e); }});
  sign_in(c, "sdk-arena-ticks");
  auto joined = wait_for<gc::room_joined>(c, [&](auto done) {
    c.create_room("arena", {{"bots", "1"}, {"seed", "7"}}, false, done);
  });
  ASSERT_TRUE(joined && *joined) << describe(joined->error());
  my_seat = (*joined)->you.seat;
  ASSERT_GE(my_seat, 0);
  shot = (*joined)->schema.kind_of("shot");
  ASSERT_TRUE(shot);
  const auto seat_field = (*joined)->schema.field_of(*shot, "seat");
  ASSERT_TRUE(seat_field);
  shot_seat = *seat_field;
  // Fire (the arena's button 0x10), once per new snapshot: for the next tick, seen as of three ticks ago.
  const std::uint8_t fire[3] = {0x10, 0, 0};
  std::uint32_t stamped_for = 0, last_sequence = 0;
  ASSERT_TRUE(poll_until({&c}, [&] {
    const auto newest = c.newest_snapshot_tick();
    if (newest > 3 && newest != stamped_for) {
      const auto sequence = c.send_room_input(fire, newest + 1, newest - 3);
      EXPECT_TRUE(sequence) << describe(sequence.error());
      if (sequence) {
        EXPECT_EQ(*sequence, ++last_sequence);
      }
      stamped_for = newest;
    }
    return own_shots > 0;
  })) << "no shot of this player came back";
  EXPECT_TRUE(errors.empty()) << describe(errors.front());
}

TEST(SdkClient, MatchmakerPairsTwoClients) {
  server_process server(kSettings);
  gc::client ada(options_for(server.http_port())), bob(options_for(server.http_port()));
  std::optional<gc::matchmaker_matched> ada_match, bob_match;
  ada.set_handlers({.on_matchmaker_matched = [&](const gc::matchmaker_matched& m) { ada_match = m; }});
  bob.set_handlers({.on_matchmaker_matched = [&](const gc::matchmaker_matched& m) { bob_match = m; }});
  sign_in(ada, "sdk-mm-ada");
  sign_in(bob, "sdk-mm-bob");
  for (auto* c : {&ada, &bob}) {
    auto ticket = wait_for<gc::matchmaker_ticket>(*c, [&](auto done) {
      c->matchmaker_add({.room_type = "arena", .min_count = 2, .max_count = 2}, done);
    });
    ASSERT_TRUE(ticket && *ticket) << describe(ticket->error());
  }
  ASSERT_TRUE(poll_until({&ada, &bob}, [&] { return ada_match && bob_match; }));
  EXPECT_EQ(ada_match->room_id, bob_match->room_id);
  EXPECT_NE(ada_match->reservation, bob_match->reservation);
  auto joined = wait_for<gc::room_joined>(ada, [&](auto done) {
    ada.join_room_reserved(ada_match->room_id, ada_match->reservation, done);
  });
  ASSERT_TRUE(joined && *joined) << describe(joined->error());
}

// What a turn-based client shows and decides on: the clock's settings, who a seat is kept for, when the match was
// created; and the invitation as a notification, acknowledged so that it is not sent again.
TEST(SdkClient, InvitationCarriesTheSeatTheClockAndANotification) {
  server_process server(kSettings);
  gc::client ada(options_for(server.http_port())), bob(options_for(server.http_port()));
  std::vector<gc::notification> told;
  bob.set_handlers({.on_notification = [&](const gc::notification& n) { told.push_back(n); }});
  sign_in(ada, "sdk-invite-ada");
  sign_in(bob, "sdk-invite-bob");
  const std::string bob_name = bob.session().username;
  auto created = wait_for<gc::match_snapshot>(ada, [&](auto done) {
    ada.create_match({.game = "tictactoe", .invite = {bob_name}, .initial_ms = 60'000, .increment_ms = 2'000}, done);
  });
  ASSERT_TRUE(created && *created) << describe(created->error());
  const auto& info = (*created)->info;
  EXPECT_EQ(info.state, gc::match_info::status::open);
  EXPECT_EQ(info.initial_ms, 60'000u);
  EXPECT_EQ(info.increment_ms, 2'000u);
  EXPECT_GT(info.created_at_ms, 0);
  EXPECT_FALSE(info.clock_running);
  ASSERT_EQ(info.players.size(), 2u);
  const auto& free_seat = info.players[static_cast<std::size_t>(1 - (*created)->your_seat)];
  EXPECT_EQ(free_seat.user_id, 0u);
  EXPECT_EQ(free_seat.invited, std::vector<std::string>{bob_name});

  ASSERT_TRUE(poll_until({&ada, &bob}, [&] { return !told.empty(); }));
  EXPECT_EQ(told[0].what, gc::notification::kind::invited);
  EXPECT_EQ(told[0].match_id, info.match_id);
  EXPECT_EQ(told[0].game, "tictactoe");
  EXPECT_NE(told[0].text.find("invites you"), std::string::npos) << told[0].text;
  auto acked = wait_for<void>(bob, [&](auto done) { bob.acknowledge_notifications({told[0].notification_id}, done); });
  ASSERT_TRUE(acked && *acked) << describe(acked->error());
  auto too_many = wait_for<void>(bob, [&](auto done) {
    bob.acknowledge_notifications(std::vector<std::uint64_t>(101, 1), done);
  });
  ASSERT_TRUE(too_many && !*too_many);
  EXPECT_EQ(too_many->error().code, gc::client_errc::invalid_options);
}

TEST(SdkClient, NothingListeningIsConnectionRefused) {
  std::uint16_t closed_port = 0;
  {
    silent_listener gone;  // a port the kernel gave out, then closed: nothing listens there now
    closed_port = gone.port();
  }
  gc::client c(options_for(closed_port));
  auto login = wait_for<gc::login_session>(c, [&](auto done) { c.login_guest("sdk-refused", done); });
  ASSERT_TRUE(login && !*login);
  EXPECT_EQ(login->error().code, gc::client_errc::connection_refused) << describe(login->error());
  c.set_session({.user_id = 1, .username = "x", .access_token = "t", .refresh_token = "r", .expires_at_ms = 0});
  auto connected = wait_for<gc::connected_info>(c, [&](auto done) { c.connect(done); });
  ASSERT_TRUE(connected && !*connected);
  EXPECT_EQ(connected->error().code, gc::client_errc::connection_refused) << describe(connected->error());
}

TEST(SdkClient, AServerThatNeverAnswersTimesOut) {
  silent_listener silent;
  gc::client c(options_for(silent.port()));
  c.set_session({.user_id = 1, .username = "x", .access_token = "t", .refresh_token = "r", .expires_at_ms = 0});
  const auto started = std::chrono::steady_clock::now();
  auto connected = wait_for<gc::connected_info>(c, [&](auto done) { c.connect(done); });
  ASSERT_TRUE(connected && !*connected);
  EXPECT_EQ(connected->error().code, gc::client_errc::timed_out) << describe(connected->error());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(SdkClient, ServerShutdownIsServerGoneThenReconnectsAndRejoins) {
  server_process server(kSettings);
  gc::client ada(options_for(server.http_port())), bob(options_for(server.http_port()));
  std::vector<gc::connection_event> events;
  std::vector<gc::chat_message> heard;
  std::optional<gc::client_result<gc::history_page>> catch_up;
  ada.set_handlers({.on_connection =
                        [&](const gc::connection_event& e) {
                          events.push_back(e);
                          // The rejoin is already on its way: history asked for now finds the channel joined.
                          if (e.what != gc::connection_event::kind::reconnected) return;
                          ada.channel_history("sdk-back", 0, 10, [&](auto page) { catch_up = std::move(page); });
                        },
                    .on_chat_message = [&](const gc::chat_message& m) { heard.push_back(m); }});
  sign_in(ada, "sdk-back-ada");
  auto joined = wait_for<gc::channel_joined>(ada, [&](auto done) { ada.join_channel("sdk-back", done); });
  ASSERT_TRUE(joined && *joined);

  ASSERT_EQ(server.stop(SIGTERM), 0);
  ASSERT_TRUE(poll_until({&ada}, [&] { return !events.empty(); }));
  EXPECT_EQ(events[0].what, gc::connection_event::kind::disconnected);
  EXPECT_EQ(events[0].error.code, gc::client_errc::server_gone) << describe(events[0].error);
  EXPECT_EQ(events[0].error.close_code, std::optional<std::uint16_t>(3001));
  EXPECT_FALSE(ada.connected());

  server.start();  // same ports, same database
  const auto back = [&] {
    return std::any_of(events.begin(), events.end(),
                       [](const auto& e) { return e.what == gc::connection_event::kind::reconnected; });
  };
  ASSERT_TRUE(poll_until({&ada}, back, 15s));
  EXPECT_TRUE(ada.connected());
  ASSERT_TRUE(poll_until({&ada}, [&] { return catch_up.has_value(); }));
  EXPECT_TRUE(*catch_up) << describe(catch_up->error());
  // Back in the channel without asking: bob's line reaches ada.
  sign_in(bob, "sdk-back-bob");
  auto bob_joined = wait_for<gc::channel_joined>(bob, [&](auto done) { bob.join_channel("sdk-back", done); });
  ASSERT_TRUE(bob_joined && *bob_joined);
  auto sent = wait_for<gc::message_sent>(bob, [&](auto done) { bob.send_message("sdk-back", "welcome back", done); });
  ASSERT_TRUE(sent && *sent);
  ASSERT_TRUE(poll_until({&ada, &bob}, [&] { return !heard.empty(); }));
  EXPECT_EQ(heard[0].text, "welcome back");
}

// A connection lost while in a room: the SDK reconnects and joins the same room again, back in its seat within the
// server's grace, and snapshots flow again. The loss is real: the game stops polling (nothing is sent, not even the
// snapshot acks), so the server closes the connection as idle.
TEST(SdkClient, ReconnectsAndRejoinsTheRoomAfterALoss) {
  auto settings = kSettings;
  settings.push_back("limits.idle_timeout_ms=1500");
  server_process server(settings);
  gc::client c(options_for(server.http_port()));
  std::vector<gc::connection_event> events;
  std::vector<gc::room_joined> rejoined;
  std::size_t snapshots = 0;
  c.set_handlers({.on_connection = [&](const gc::connection_event& e) { events.push_back(e); },
                  .on_room_rejoined = [&](const gc::room_joined& j) { rejoined.push_back(j); },
                  .on_room_snapshot = [&](const gc::room_snapshot&) { ++snapshots; }});
  sign_in(c, "sdk-rejoin");
  auto joined = wait_for<gc::room_joined>(c, [&](auto done) { c.create_room("arena", {{"bots", "1"}}, false, done); });
  ASSERT_TRUE(joined && *joined) << describe(joined->error());
  ASSERT_TRUE(poll_until({&c}, [&] { return snapshots >= 5; }));

  std::this_thread::sleep_for(3s);  // a frozen game: no poll, so nothing goes out
  ASSERT_TRUE(poll_until({&c}, [&] { return !rejoined.empty(); }, 15s)) << server.log();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].what, gc::connection_event::kind::disconnected);
  EXPECT_EQ(events[0].error.code, gc::client_errc::timed_out) << describe(events[0].error);
  EXPECT_EQ(rejoined[0].room.room_id, (*joined)->room.room_id);
  EXPECT_TRUE(rejoined[0].rejoined);
  EXPECT_TRUE(rejoined[0].returned);  // the same seat, kept through the grace
  EXPECT_EQ(rejoined[0].you.seat, (*joined)->you.seat);
  snapshots = 0;
  ASSERT_TRUE(poll_until({&c}, [&] { return snapshots >= 5; }));
  EXPECT_EQ(c.room_id(), (*joined)->room.room_id);
}

}  // namespace
}  // namespace guildhall::testing
