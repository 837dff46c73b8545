// The matchmaker over real sockets: MatchmakerAdd / MatchmakerRemove answered by a real server, and, with the room
// engine's "dots" room type, players queued (alone and in parties) matched into rooms with a seat reservation
// each.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "blocking_client.hpp"
#include "server_process.hpp"

namespace guildhall::testing {
namespace {

const std::vector<std::string> kSettings = {"matchmaker.interval_ms=50", "matchmaker.fill_wait_ms=500",
                                            "auth.logins_per_ip_per_minute=0", "limits.max_connections_per_ip=0",
                                            "chat.messages_per_second=1000", "chat.message_burst=1000"};

struct player {
  blocking_client client;
  std::string username;
  std::uint64_t user_id = 0;
};

player join(server_process& server, const std::string& device) {
  player made{blocking_client(transport::tcp, server.tcp_port()), {}, 0};
  const auto answer = made.client.authenticate(guest_token(server.http_port(), "device-" + device));
  EXPECT_TRUE(answer.has_authenticated()) << answer.DebugString();
  made.username = answer.authenticated().username();
  made.user_id = answer.authenticated().user_id();
  return made;
}

v1::Envelope add(blocking_client& client, const std::string& room_type, std::vector<std::string> party = {},
                 std::uint32_t min_count = 0) {
  v1::Envelope request;
  auto* body = request.mutable_matchmaker_add();
  body->set_room_type(room_type);
  (*body->mutable_string_properties())["mode"] = "ffa";
  (*body->mutable_query()->mutable_equal())["mode"] = "ffa";
  for (auto& name : party) body->add_party(std::move(name));
  body->set_min_count(min_count);
  return client.call(request);
}

// The next push of the wanted kind, skipping others.
template <typename Wanted>
std::optional<v1::Envelope> next_push(blocking_client& client, Wanted wanted, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto push = client.next_push(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (!push) return std::nullopt;
    if (wanted(*push)) return push;
  }
  return std::nullopt;
}

TEST(Matchmaker, RequestsForRoomTypesTheServerLacksAreRefused) {
  server_process server(kSettings);
  auto ada = join(server, "mm-ada");
  const auto refused = add(ada.client, "no-such-room");
  ASSERT_TRUE(refused.has_error()) << refused.DebugString();
  EXPECT_EQ(refused.error().code(), v1::ROOM_NOT_FOUND);
  v1::Envelope remove;
  remove.mutable_matchmaker_remove()->set_ticket(12345);
  const auto removed = ada.client.call(remove);
  ASSERT_TRUE(removed.has_error());
  EXPECT_EQ(removed.error().code(), v1::NOT_FOUND);
}

TEST(Matchmaker, TwoPlayersGetOneRoomAndTheirOwnReservations) {
  server_process server(kSettings);
  auto ada = join(server, "mm-ada");
  auto bob = join(server, "mm-bob");
  const auto first = add(ada.client, "dots", {}, 2);
  ASSERT_TRUE(first.has_matchmaker_ticket()) << first.DebugString();
  ASSERT_TRUE(add(bob.client, "dots", {}, 2).has_matchmaker_ticket());
  const auto is_matched = [](const v1::Envelope& e) { return e.has_matchmaker_matched(); };
  const auto ada_matched = next_push(ada.client, is_matched);
  const auto bob_matched = next_push(bob.client, is_matched);
  ASSERT_TRUE(ada_matched && bob_matched);
  EXPECT_EQ(ada_matched->matchmaker_matched().ticket(), first.matchmaker_ticket().ticket());
  EXPECT_EQ(ada_matched->matchmaker_matched().room_id(), bob_matched->matchmaker_matched().room_id());
  EXPECT_NE(ada_matched->matchmaker_matched().room_id(), 0u);
  EXPECT_FALSE(ada_matched->matchmaker_matched().reservation().empty());
  EXPECT_NE(ada_matched->matchmaker_matched().reservation(), bob_matched->matchmaker_matched().reservation());
  EXPECT_EQ(ada_matched->matchmaker_matched().players_size(), 2);
}

TEST(Matchmaker, LeavingAndDisconnectingCancelAPartysTicket) {
  server_process server(kSettings);
  auto ada = join(server, "mm-ada");
  auto bob = join(server, "mm-bob");
  std::optional<player> cy{join(server, "mm-cy")};
  const auto is_cancelled = [](const v1::Envelope& e) { return e.has_matchmaker_cancelled(); };

  auto party = add(ada.client, "dots", {bob.username, cy->username});
  ASSERT_TRUE(party.has_matchmaker_ticket()) << party.DebugString();
  const auto told = next_push(bob.client, [](const v1::Envelope& e) { return e.has_matchmaker_ticket(); });
  ASSERT_TRUE(told);
  EXPECT_EQ(told->matchmaker_ticket().ticket(), party.matchmaker_ticket().ticket());
  const auto again = add(bob.client, "dots");
  ASSERT_TRUE(again.has_error());
  EXPECT_EQ(again.error().code(), v1::ALREADY_QUEUED);

  cy.reset();  // disconnects
  auto cancelled = next_push(ada.client, is_cancelled);
  ASSERT_TRUE(cancelled);
  EXPECT_NE(cancelled->matchmaker_cancelled().reason().find("disconnected"), std::string::npos);

  party = add(ada.client, "dots", {bob.username});
  ASSERT_TRUE(party.has_matchmaker_ticket());
  v1::Envelope remove;
  remove.mutable_matchmaker_remove()->set_ticket(party.matchmaker_ticket().ticket());
  ASSERT_TRUE(bob.client.call(remove).has_matchmaker_removed());
  cancelled = next_push(ada.client, is_cancelled);
  ASSERT_TRUE(cancelled);
  EXPECT_NE(cancelled->matchmaker_cancelled().reason().find("left the queue"), std::string::npos);
}

// The scenario over real sockets: 100 players, about a third of them in parties of 2 or 3 (queued by
// their leader), matched into dots rooms (4 seats) with every party in one room.
TEST(Matchmaker, HundredQueuedPlayersLandInRoomsWithPartiesTogether) {
  server_process server(kSettings);
  std::vector<player> players;
  for (int i = 0; i < 100; ++i) players.push_back(join(server, "mm-" + std::to_string(i)));
  const int sizes[] = {1, 1, 2, 1, 3, 1, 1, 2};
  std::vector<std::vector<std::size_t>> parties;  // indices into players, leader first
  for (std::size_t next = 0, i = 0; next < players.size(); ++i) {
    const std::size_t size = std::min<std::size_t>(static_cast<std::size_t>(sizes[i % 8]), players.size() - next);
    auto& party = parties.emplace_back();
    for (std::size_t k = 0; k < size; ++k) party.push_back(next++);
  }
  const auto started = std::chrono::steady_clock::now();
  for (const auto& party : parties) {
    std::vector<std::string> others;
    for (std::size_t k = 1; k < party.size(); ++k) others.push_back(players[party[k]].username);
    const auto queued = add(players[party[0]].client, "dots", others, 2);
    ASSERT_TRUE(queued.has_matchmaker_ticket()) << queued.DebugString();
  }

  std::map<std::uint64_t, std::set<std::size_t>> rooms;  // room id -> players
  std::map<std::size_t, std::uint64_t> room_of;
  for (std::size_t i = 0; i < players.size(); ++i) {
    const auto matched = next_push(players[i].client, [](const v1::Envelope& e) { return e.has_matchmaker_matched(); });
    ASSERT_TRUE(matched) << players[i].username << " was never matched";
    EXPECT_FALSE(matched->matchmaker_matched().reservation().empty());
    rooms[matched->matchmaker_matched().room_id()].insert(i);
    room_of[i] = matched->matchmaker_matched().room_id();
  }
  const auto took = std::chrono::steady_clock::now() - started;
  for (const auto& [room, members] : rooms) {
    EXPECT_GE(members.size(), 2u);
    EXPECT_LE(members.size(), 4u) << "dots has 4 seats";
  }
  for (const auto& party : parties) {
    for (const auto member : party) EXPECT_EQ(room_of[member], room_of[party[0]]) << "a party was split";
  }
  std::printf("[ matchmaker ] 100 players in %zu tickets -> %zu rooms in %.0f ms\n", parties.size(), rooms.size(),
              std::chrono::duration<double, std::milli>(took).count());
}

}  // namespace
}  // namespace guildhall::testing
