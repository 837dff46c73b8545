// The game on a bad network, over real UDP against a real server process: 150 ms round trip (75 ms each way),
// +-20 ms of jitter, 5% loss, 1% duplication and 1% reordering from the seeded impairment layer, on the server
// (`--set udp.sim_*`, both directions) or in the client (session_options::udp_impairment).
// - Reliable delivery: one UDP client sends kChatMessages numbered chat messages to a channel, another UDP client
//   must hear every one exactly once and in order.
// - The arena: the SDL client's own network seam and model (examples/arena-sdl: arena_connection over the public
//   SDK's client, arena_game's predictor and interpolator) plays 20 s in a room with two bots, while an observer over
//   WebSocket (which the UDP impairment does not touch) records the server's true world at every tick. Measured:
//   the local fighter's prediction error (the predictor's own metric), the others' interpolation error (drawn
//   position against the observer's truth at the render tick), snap-backs, and whether every snapshot the UDP
//   client decoded equals the observer's for the same tick (the arena stays consistent).
// Figures go to stdout and to the test's properties (RecordProperty) for docs/netcode.md.
//
// GUILDHALL_BADNET_SERVER=HOST:HTTP_PORT:UDP_PORT runs the delivery test against a server someone else started
// (tests/e2e/netns_loss.sh, across a lossy veth link between network namespaces); the impairment is then the real
// network's and the test adds none of its own. Without it that test skips; with it the others do.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "arena_connection.hpp"
#include "arena_game.hpp"
#include "arena_world.hpp"
#include "blocking_client.hpp"
#include "client/http_login.hpp"
#include "client/session.hpp"
#include "client/udp_client_connection.hpp"
#include "games/arena/arena_rules.hpp"
#include "server_process.hpp"
#include "silent_listener.hpp"

namespace guildhall::testing {
namespace {

namespace arena = games::arena;
using arena_sdl::steady_ms;

constexpr std::uint32_t kOneWayMs = 75;
constexpr std::uint32_t kJitterMs = 20;
constexpr double kLossPercent = 5;
constexpr double kDuplicatePercent = 1;
constexpr double kReorderPercent = 1;
constexpr int kChatMessages = 300;
// Requests in flight at once: the sender keeps the pipe full without leaning on the chat rate limit.
constexpr int kChatWindow = 32;
constexpr double kArenaRunMs = 20'000;
constexpr double kArenaSettleMs = 3'000;  // the jitter buffer and clock sync settle before measuring
constexpr double kFrameMs = 1000.0 / 60;

// The server's share of the impairment: udp.sim_* applies to everything its UDP transport sends and receives, so
// both directions get the one-way latency.
std::vector<std::string> impaired_server_settings(std::uint64_t seed) {
  return {"udp.sim_latency_ms=" + std::to_string(kOneWayMs),
          "udp.sim_jitter_ms=" + std::to_string(kJitterMs),
          "udp.sim_loss_percent=" + std::to_string(kLossPercent),
          "udp.sim_duplicate_percent=" + std::to_string(kDuplicatePercent),
          "udp.sim_reorder_percent=" + std::to_string(kReorderPercent),
          "udp.sim_seed=" + std::to_string(seed),
          // The test sends faster than a person types.
          "chat.messages_per_second=1000",
          "chat.message_burst=1000"};
}

// The client's share: its simulator delays what it sends and what it receives, so each direction gets the
// one-way latency once.
wire::udp::impairment_config client_impairment(std::uint64_t seed) {
  wire::udp::impairment_config c;
  c.latency_ms = kOneWayMs;
  c.jitter_ms = kJitterMs;
  c.loss_percent = kLossPercent;
  c.duplicate_percent = kDuplicatePercent;
  c.reorder_percent = kReorderPercent;
  c.seed = seed;
  return c;
}

struct server_address {
  std::string host = "127.0.0.1";
  std::uint16_t http_port = 0;
  std::uint16_t udp_port = 0;
};

server_address address_of(const server_process& server) { return {"127.0.0.1", server.http_port(), server.udp_port()}; }

// GUILDHALL_BADNET_SERVER=HOST:HTTP_PORT:UDP_PORT, when set.
std::optional<server_address> external_server() {
  const char* text = std::getenv("GUILDHALL_BADNET_SERVER");
  if (!text || !*text) return std::nullopt;
  const std::string s = text;
  const auto second = s.rfind(':');
  const auto first = second == std::string::npos || second == 0 ? std::string::npos : s.rfind(':', second - 1);
  if (first == std::string::npos) throw std::runtime_error("GUILDHALL_BADNET_SERVER must be HOST:HTTP_PORT:UDP_PORT");
  return server_address{s.substr(0, first), static_cast<std::uint16_t>(std::stoi(s.substr(first + 1, second - first - 1))),
                        static_cast<std::uint16_t>(std::stoi(s.substr(second + 1)))};
}

client::server_url udp_url(const server_address& server) {
  client::server_url url;
  url.kind = client::server_url::scheme::udp;
  url.host = server.host;
  url.port = server.udp_port;
  url.http_port = server.http_port;
  return url;
}

v1::AuthSession guest(const server_address& server, const std::string& device) {
  v1::AuthRequest request;
  request.set_device_id(device);
  auto session = client::call_auth(server.host, server.http_port, "guest", request);
  if (!session) throw std::runtime_error("guest login failed: " + session.error().message);
  return *session;
}

const client::udp_client_connection* udp_connection_of(const client::session& s) {
  return dynamic_cast<const client::udp_client_connection*>(s.connection().get());
}

// --- reliable delivery -------------------------------------------------------------------------------------------

struct delivery_report {
  int accepted = 0;    // MessageAccepted answers to the sender
  int refused = 0;     // any other answer (a local time-out included)
  int received = 0;    // chat messages the listener heard, duplicates included
  int duplicates = 0;  // a number heard a second time
  int out_of_order = 0;  // a number heard after a higher one
  int missing = 0;       // numbers never heard
  double seconds = 0;    // first send to last delivery
  double sender_rtt_ms = 0, listener_rtt_ms = 0;
  double sender_loss = 0, listener_loss = 0;  // the message layer's estimates, 0..1
  bool both_over_udp = false;
  bool both_still_connected = false;  // the connections held through the run
};

// Two guests over UDP (no WebSocket fallback: a test of UDP must not quietly pass over TCP) join `channel`; one
// sends kChatMessages numbered messages, kChatWindow in flight; the other listens until all came or time ran out.
delivery_report deliver_chat(const server_address& server, const std::string& channel,
                             std::optional<wire::udp::impairment_config> impairment) {
  boost::asio::io_context io;
  client::session_options options;
  options.udp_fallback = false;
  options.connection.request_timeout_ms = 20'000;  // the window drains slowly at 5% loss; not a failure
  options.udp_impairment = impairment;
  std::vector<int> heard;
  int joined = 0;
  std::optional<std::string> gave_up;
  v1::Envelope join;
  join.mutable_join_channel()->set_channel(channel);
  auto join_on_ready = [&](std::shared_ptr<client::session>* self) {
    return [&, self](const v1::Authenticated&, bool) {
      (*self)->request(join, [&](const v1::Envelope& reply) {
        if (reply.has_channel_joined()) {
          ++joined;
        } else {
          gave_up = "join refused: " + reply.DebugString();
        }
      });
    };
  };
  std::shared_ptr<client::session> listener, sender;
  listener = std::make_shared<client::session>(
      io, udp_url(server), guest(server, "badnet-listener-" + channel), options,
      client::session_events{.on_ready = join_on_ready(&listener),
                             .on_lost = {},
                             .on_gave_up = [&](const std::string& why) { gave_up = "listener: " + why; },
                             .on_push =
                                 [&](const v1::Envelope& push) {
                                   if (!push.has_chat_message() || push.chat_message().channel() != channel) return;
                                   const auto& text = push.chat_message().text();
                                   if (text.rfind("n ", 0) == 0) heard.push_back(std::stoi(text.substr(2)));
                                 }});
  if (impairment) ++options.udp_impairment->seed;  // two clients, two loss patterns
  sender = std::make_shared<client::session>(
      io, udp_url(server), guest(server, "badnet-sender-" + channel), options,
      client::session_events{.on_ready = join_on_ready(&sender),
                             .on_lost = {},
                             .on_gave_up = [&](const std::string& why) { gave_up = "sender: " + why; },
                             .on_push = {}});
  listener->start();
  sender->start();
  if (!run_until(io, [&] { return joined == 2 || gave_up.has_value(); }, 20s) || gave_up) {
    throw std::runtime_error("the clients did not join: " + gave_up.value_or("time-out"));
  }
  delivery_report report;
  report.both_over_udp = listener->transport() == client::server_url::scheme::udp &&
                         sender->transport() == client::server_url::scheme::udp;
  int next = 0, in_flight = 0;
  std::function<void()> send_more = [&] {
    while (in_flight < kChatWindow && next < kChatMessages) {
      v1::Envelope say;
      say.mutable_send_message()->set_channel(channel);
      say.mutable_send_message()->set_text("n " + std::to_string(next++));
      ++in_flight;
      sender->request(say, [&](const v1::Envelope& reply) {
        --in_flight;
        if (reply.has_message_accepted()) {
          ++report.accepted;
        } else {
          ++report.refused;
        }
        send_more();
      });
    }
  };
  const double started = steady_ms();
  send_more();
  run_until(io, [&] { return int(heard.size()) >= kChatMessages || gave_up.has_value(); }, 60s);
  report.seconds = (steady_ms() - started) / 1000;
  io.run_for(1s);  // a late duplicate would show now
  if (const auto* c = udp_connection_of(*sender)) {
    report.sender_rtt_ms = c->rtt_ms();
    report.sender_loss = c->packet_loss();
  }
  if (const auto* c = udp_connection_of(*listener)) {
    report.listener_rtt_ms = c->rtt_ms();
    report.listener_loss = c->packet_loss();
  }
  report.both_still_connected = sender->connected() && listener->connected() && !gave_up;
  sender->close();
  listener->close();
  io.run_for(100ms);

  report.received = int(heard.size());
  std::vector<int> times(kChatMessages, 0);
  int highest = -1;
  for (const int n : heard) {
    if (n < 0 || n >= kChatMessages) continue;
    if (++times[n] > 1) ++report.duplicates;
    if (n < highest) ++report.out_of_order;
    highest = std::max(highest, n);
  }
  report.missing = int(std::count(times.begin(), times.end(), 0));
  return report;
}

void expect_exactly_once_in_order(const delivery_report& r, const std::string& how) {
  std::printf("[ badnet ] chat over UDP, %s: %d sent, %d accepted, %d refused; heard %d (%d duplicates, %d out of "
              "order, %d missing) in %.1f s; sender rtt %.0f ms loss %.1f%%, listener rtt %.0f ms loss %.1f%%\n",
              how.c_str(), kChatMessages, r.accepted, r.refused, r.received, r.duplicates, r.out_of_order, r.missing,
              r.seconds, r.sender_rtt_ms, r.sender_loss * 100, r.listener_rtt_ms, r.listener_loss * 100);
  std::fflush(stdout);
  ::testing::Test::RecordProperty("chat_sent", kChatMessages);
  ::testing::Test::RecordProperty("chat_accepted", r.accepted);
  ::testing::Test::RecordProperty("chat_heard", r.received);
  ::testing::Test::RecordProperty("chat_duplicates", r.duplicates);
  ::testing::Test::RecordProperty("chat_out_of_order", r.out_of_order);
  ::testing::Test::RecordProperty("chat_missing", r.missing);
  ::testing::Test::RecordProperty("chat_seconds", std::to_string(r.seconds));
  ::testing::Test::RecordProperty("listener_rtt_ms", std::to_string(r.listener_rtt_ms));
  ::testing::Test::RecordProperty("listener_loss", std::to_string(r.listener_loss));
  EXPECT_TRUE(r.both_over_udp) << "a client was not on UDP";
  EXPECT_TRUE(r.both_still_connected) << "a connection was lost";
  EXPECT_EQ(r.accepted, kChatMessages);
  EXPECT_EQ(r.received, kChatMessages);
  EXPECT_EQ(r.duplicates, 0);
  EXPECT_EQ(r.out_of_order, 0);
  EXPECT_EQ(r.missing, 0);
}

}  // namespace

// Run by tests/e2e/netns_loss.sh inside a network namespace, across a lossy veth link to the server.
TEST(BadNetwork, ChatArrivesExactlyOnceInOrderFromAnExternalServer) {
  const auto external = external_server();
  if (!external) GTEST_SKIP() << "GUILDHALL_BADNET_SERVER is not set (tests/e2e/netns_loss.sh sets it)";
  expect_exactly_once_in_order(deliver_chat(*external, "badnet-external", std::nullopt), "external server");
}

TEST(BadNetwork, ChatArrivesExactlyOnceInOrderThroughTheServersImpairment) {
  if (external_server()) GTEST_SKIP() << "GUILDHALL_BADNET_SERVER: only the external test runs";
  server_process server(impaired_server_settings(11));
  expect_exactly_once_in_order(deliver_chat(address_of(server), "badnet-server-side", std::nullopt),
                               "server-side impairment");
}

TEST(BadNetwork, ChatArrivesExactlyOnceInOrderThroughTheClientsImpairment) {
  if (external_server()) GTEST_SKIP() << "GUILDHALL_BADNET_SERVER: only the external test runs";
  server_process server({"chat.messages_per_second=1000", "chat.message_burst=1000"});
  expect_exactly_once_in_order(deliver_chat(address_of(server), "badnet-client-side", client_impairment(21)),
                               "client-side impairment");
}

// --- the arena -----------------------------------------------------------------------------------------------------

namespace {

// Where another fighter was drawn, to be checked against the truth once the run is over.
struct drawn_sample {
  double render_tick;
  arena_sdl::player_view shown;
};

// Polls both arena connections (each runs its own SDK client) about every millisecond until `done` or `limit`.
bool poll_until(std::initializer_list<arena_sdl::arena_connection*> connections, const std::function<bool()>& done,
                std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    for (auto* c : connections) {
      if (c) c->poll();
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// Eight directions, each held 1.5 s, as in tests/unit/netcode_arena_test.cpp.
arena::arena_input scripted_controls(double elapsed_ms) {
  static constexpr std::uint8_t kWays[] = {arena::kUp,   arena::kUp | arena::kRight,  arena::kRight,
                                           arena::kRight | arena::kDown, arena::kDown, arena::kDown | arena::kLeft,
                                           arena::kLeft, arena::kLeft | arena::kUp};
  return {kWays[std::size_t(elapsed_ms / 1500) % 8], 0};
}

}  // namespace

TEST(BadNetwork, TheArenaStaysPlayableAt150MsWithJitterLossDuplicationAndReordering) {
  if (external_server()) GTEST_SKIP() << "GUILDHALL_BADNET_SERVER: only the external test runs";
  server_process server(impaired_server_settings(31));

  // The player over UDP through the SDL client's seam; it creates a public arena with two bots.
  std::optional<arena_sdl::arena_game> game;
  std::optional<arena_sdl::joined_room> room;
  std::optional<std::string> player_closed, observer_closed;
  std::map<std::uint32_t, arena_sdl::world_view> seen_by_player, truth;
  std::vector<drawn_sample> drawn;
  arena_sdl::connection_settings player_settings;
  player_settings.server = "ws://127.0.0.1:" + std::to_string(server.http_port()) + "/ws";
  player_settings.transport = arena_sdl::transport_choice::udp;
  player_settings.udp_fallback = false;
  player_settings.user = "badnet_player";
  player_settings.bots = 2;
  arena_sdl::arena_connection player(
      player_settings,
      arena_sdl::connection_events{
          .on_status = {},
          .on_joined =
              [&](const arena_sdl::joined_room& r) {
                room = r;
                game.emplace(r.seat, r.tick_hz);
              },
          .on_snapshot =
              [&](std::uint32_t tick, const arena_sdl::world_view& world) {
                if (game) game->on_snapshot(tick, world, steady_ms());
                seen_by_player[tick] = world;
              },
          .on_event = {},
          .on_round_trip = [&](double rtt) { if (game) game->on_round_trip(rtt, steady_ms()); },
          .on_closed = [&](const std::string& why) { player_closed = why; }});
  // Its server-side impairment is wired to the UDP port only: the observer sees every tick on time.
  auto observer_settings = player_settings;
  observer_settings.transport = arena_sdl::transport_choice::websocket;
  observer_settings.user = "badnet_observer";
  std::optional<arena_sdl::arena_connection> observer;

  player.start();
  ASSERT_TRUE(poll_until({&player}, [&] { return room.has_value() || player_closed.has_value(); }, 20s))
      << "the player never joined; server log:\n" << server.log();
  ASSERT_FALSE(player_closed) << *player_closed;
  ASSERT_TRUE(player.over_udp());
  ASSERT_GE(room->seat, 0);
  // A spectator, so the truth holds every fighter: seated, it would see only those within its view radius of its
  // own standing fighter, and the player's fighters in view but not in the truth would give no samples (70 of the
  // 200 needed in one CI run where it spawned far from the player's path).
  observer_settings.room_id = room->room_id;
  observer_settings.spectate = true;
  observer.emplace(observer_settings,
                   arena_sdl::connection_events{
                       .on_status = {},
                       .on_joined = {},
                       .on_snapshot = [&](std::uint32_t tick,
                                          const arena_sdl::world_view& world) { truth[tick] = world; },
                       .on_event = {},
                       .on_round_trip = {},
                       .on_closed = [&](const std::string& why) { observer_closed = why; }});
  observer->start();
  ASSERT_TRUE(poll_until({&player, &*observer}, [&] { return !truth.empty() || observer_closed.has_value(); }, 10s));
  ASSERT_FALSE(observer_closed) << *observer_closed;

  // 60 frames a second: what the SDL client's loop does, without drawing.
  const double started = steady_ms();
  std::uint64_t inputs_sent = 0;
  while (steady_ms() - started < kArenaRunMs && !player_closed && !observer_closed) {
    const double frame_start = steady_ms();
    player.poll();
    observer->poll();
    const double now = steady_ms();
    if (auto out = game->step(now, scripted_controls(now - started))) {
      player.send_inputs(*out);
      ++inputs_sent;
    }
    if (const auto frame = game->view(now); frame && now - started >= kArenaSettleMs) {
      for (const auto& p : frame->shown.players) {
        if (p.seat != room->seat) drawn.push_back({frame->render_tick, p});
      }
    }
    while (steady_ms() - frame_start < kFrameMs) {
      player.poll();
      observer->poll();
      std::this_thread::sleep_for(1ms);
    }
  }
  ASSERT_FALSE(player_closed) << *player_closed;
  ASSERT_FALSE(observer_closed) << *observer_closed;
  const double rtt = player.rtt_ms(), loss = player.loss();
  poll_until({&player, &*observer}, [] { return false; }, 500ms);  // the observer's last ticks
  player.close();
  observer->close();

  ASSERT_FALSE(seen_by_player.empty());
  // The others, drawn at the render tick, against the server's path between the two ticks around it.
  double interpolation_error_sum = 0, interpolation_error_max = 0;
  int interpolation_samples = 0;
  for (const auto& d : drawn) {
    const auto tick = std::uint32_t(std::floor(d.render_tick));
    const auto a = truth.find(tick), b = truth.find(tick + 1);
    if (a == truth.end() || b == truth.end()) continue;
    const auto* pa = arena_sdl::find_seat(a->second, d.shown.seat);
    const auto* pb = arena_sdl::find_seat(b->second, d.shown.seat);
    if (!pa || !pb || !pa->alive || !pb->alive || !d.shown.alive) continue;
    if (std::hypot(pb->x - pa->x, pb->y - pa->y) > 1) continue;  // a respawn between the two ticks
    const double t = d.render_tick - std::floor(d.render_tick);
    const double error = std::hypot(d.shown.x - (pa->x + (pb->x - pa->x) * t), d.shown.y - (pa->y + (pb->y - pa->y) * t));
    interpolation_error_sum += error;
    interpolation_error_max = std::max(interpolation_error_max, error);
    ++interpolation_samples;
  }
  // The arena stays consistent: what the UDP client decoded for a tick is what the observer decoded for it.
  // Fighters present in one client's decoded tick and not in the other's are counted apart (see below).
  int compared = 0, disagreements = 0, one_sided = 0;
  for (const auto& [tick, world] : seen_by_player) {
    const auto other = truth.find(tick);
    if (other == truth.end()) continue;
    ++compared;
    bool differ = false;
    for (const auto& p : world.players) {
      const auto* q = arena_sdl::find_seat(other->second, p.seat);
      if (!q) continue;
      differ |= p.x != q->x || p.y != q->y || p.health != q->health || p.alive != q->alive || p.score != q->score ||
                p.deaths != q->deaths;
    }
    if (differ) ++disagreements;
    if (world.players.size() != other->second.players.size()) {
      if (++one_sided == 1) {
        for (const arena_sdl::world_view* w : {&world, static_cast<const arena_sdl::world_view*>(&other->second)}) {
          std::printf("[ badnet ]   tick %u, seats decoded by the %s:", tick, w == &world ? "player" : "observer");
          for (const auto& p : w->players) std::printf(" %d%s", p.seat, p.alive ? "" : "(dead)");
          std::printf("\n");
        }
      }
    }
  }
  const std::uint32_t first_tick = seen_by_player.begin()->first, last_tick = seen_by_player.rbegin()->first;
  const double snapshot_share = double(seen_by_player.size()) / double(last_tick - first_tick + 1);

  const auto& prediction = game->prediction();
  const double player_width = 2 * arena::kPlayerRadius;
  const double mean_prediction_error =
      prediction.errors_measured ? prediction.error_sum / double(prediction.errors_measured) : 0;
  const double mean_interpolation_error = interpolation_samples ? interpolation_error_sum / interpolation_samples : 0;
  std::printf(
      "[ badnet ] arena over UDP, 150 ms RTT +-20 ms, 5%% loss, 1%% dup/reorder (server-side), %.0f s:\n"
      "[ badnet ]   prediction: mean error %.3f units (%.2f player widths) over %llu snapshots, %llu corrections, "
      "%llu snaps, %llu inputs\n"
      "[ badnet ]   interpolation: mean error %.3f units, max %.3f, over %d samples; delay %.0f ms, %llu underruns, "
      "%llu late\n"
      "[ badnet ]   snapshots: %zu of %u ticks decoded (%.1f%%), %llu undecodable, %d compared with the observer, "
      "%d disagreed, %d with a fighter on one side only; player seat %d; %llu input messages; rtt %.0f ms, loss %.1f%% (message layer)\n",
      kArenaRunMs / 1000, mean_prediction_error, mean_prediction_error / player_width,
      static_cast<unsigned long long>(prediction.errors_measured),
      static_cast<unsigned long long>(prediction.corrections), static_cast<unsigned long long>(prediction.snaps),
      static_cast<unsigned long long>(prediction.inputs), mean_interpolation_error, interpolation_error_max,
      interpolation_samples, game->interpolation_delay_ms(steady_ms()),
      static_cast<unsigned long long>(game->interpolation().underruns),
      static_cast<unsigned long long>(game->interpolation().late), seen_by_player.size(), last_tick - first_tick + 1,
      snapshot_share * 100, static_cast<unsigned long long>(player.decode_errors()), compared, disagreements,
      one_sided, room->seat, static_cast<unsigned long long>(inputs_sent), rtt, loss * 100);
  std::fflush(stdout);
  RecordProperty("mean_prediction_error_units", std::to_string(mean_prediction_error));
  RecordProperty("prediction_snaps", std::to_string(prediction.snaps));
  RecordProperty("prediction_corrections", std::to_string(prediction.corrections));
  RecordProperty("mean_interpolation_error_units", std::to_string(mean_interpolation_error));
  RecordProperty("interpolation_underruns", std::to_string(game->interpolation().underruns));
  RecordProperty("snapshots_decoded_share", std::to_string(snapshot_share));
  RecordProperty("snapshot_disagreements", disagreements);
  RecordProperty("snapshots_with_a_one_sided_fighter", one_sided);
  RecordProperty("rtt_ms", std::to_string(rtt));
  RecordProperty("packet_loss", std::to_string(loss));

  // Errors are measured while the fighter is alive; the bots kill it now and then.
  ASSERT_GT(prediction.errors_measured, 150u);
  // Samples come only while another fighter is within the player's view radius: 800 to 1,340 in 20 s here with
  // the spectating observer (fewer on a busy machine, where fewer frames run); 200 is plenty for a mean.
  ASSERT_GT(interpolation_samples, 200);
  EXPECT_LT(mean_prediction_error, 0.5 * player_width) << "the issue's goal: under half a player width";
  EXPECT_EQ(prediction.snaps, 0u) << "a snap-back although nothing teleported the fighter";
  EXPECT_LT(mean_interpolation_error, 0.25);
  EXPECT_GT(compared, 300);
  EXPECT_EQ(disagreements, 0) << "the UDP client decoded a tick differently from the observer";
  // Not asserted: one_sided above, the ticks where the spectating observer decoded a fighter outside the player's
  // view radius, which the player's snapshot rightly leaves out.
  // 5% loss each way: most ticks' snapshots come (a lost one is simply superseded by the next): 92-95% on a quiet
  // machine. A client starved of CPU (a busy CI machine: 81% once, with 462 inputs sent instead of 540) reads
  // several snapshots at once, and the unreliable channel delivers only the newest of them, by design.
  EXPECT_GT(snapshot_share, 0.75);
  EXPECT_GT(rtt, 100.0) << "the impairment was not applied";
}

}  // namespace guildhall::testing
