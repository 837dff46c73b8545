// services::rooms_service on real shards (a shard_pool with two threads), with connections that record what they
// are sent: the matchmaker's reservation API, joining with a token, and a reservation expiring unused.
#include "services/rooms/rooms_service.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "games/dots/dots.hpp"
#include "recording_connection.hpp"

namespace guildhall::services {
namespace {
namespace v1 = wire::v1;
using namespace std::chrono_literals;

class RoomService : public ::testing::Test {
 protected:
  RoomService() {
    types.add(std::make_unique<games::dots_type>());
    config.reservation_ttl_ms = 300;
    service = std::make_unique<rooms_service>(shards, types, config);
    shards.start();
  }
  ~RoomService() override {
    shards.stop();
    service.reset();
  }
  rooms_service::placement place(std::vector<std::uint64_t> users) {
    std::promise<std::expected<rooms_service::placement, std::string>> done;
    service->create_reserved("dots", {}, std::move(users), [&](auto result) { done.set_value(std::move(result)); });
    auto result = done.get_future().get();
    EXPECT_TRUE(result) << result.error();
    return *result;
  }
  v1::Envelope join(std::uint64_t user, std::uint64_t room_id, const std::string& token) {
    auto connection = std::make_shared<recording_connection>(user, 0);
    connections.push_back(connection);
    v1::JoinRoom request;
    request.set_room_id(room_id);
    request.set_reservation(token);
    shards.post(0, [this, user, connection, request] {
      service->join({user, "user" + std::to_string(user)}, connection, 1, request);
    });
    auto answer = connection->next([](const v1::Envelope& e) { return e.cid() != 0; }, 2s);
    EXPECT_TRUE(answer);
    return answer.value_or(v1::Envelope{});
  }

  net::shard_pool shards{2};
  room_registry types;
  rooms_config config;
  std::unique_ptr<rooms_service> service;
  std::vector<std::shared_ptr<recording_connection>> connections;
};

TEST_F(RoomService, AReservedRoomAdmitsEachUserWithTheirToken) {
  const auto placed = place({11, 12});
  ASSERT_NE(placed.room_id, 0u);
  ASSERT_EQ(placed.reservations.size(), 2u);
  EXPECT_EQ(placed.reservations[0].first, 11u);
  EXPECT_NE(placed.reservations[0].second, placed.reservations[1].second);
  EXPECT_GE(placed.reservations[0].second.size(), 32u);  // unguessable

  // Someone else, or the right user with the other's token: refused. The room is private, so not listed.
  EXPECT_EQ(join(13, placed.room_id, placed.reservations[0].second).error().code(), v1::ROOM_FULL);
  EXPECT_EQ(join(12, placed.room_id, placed.reservations[0].second).error().code(), v1::ROOM_FULL);
  const auto first = join(11, placed.room_id, placed.reservations[0].second);
  ASSERT_TRUE(first.has_room_joined()) << first.DebugString();
  EXPECT_TRUE(first.room_joined().room().private_());
  EXPECT_TRUE(join(12, placed.room_id, placed.reservations[1].second).has_room_joined());
}

TEST_F(RoomService, AnUnusedReservationExpires) {
  const auto placed = place({21, 22});
  ASSERT_TRUE(join(21, placed.room_id, placed.reservations[0].second).has_room_joined());
  std::this_thread::sleep_for(500ms);  // past reservation_ttl_ms (300)
  const auto late = join(22, placed.room_id, placed.reservations[1].second);
  ASSERT_TRUE(late.has_error());
  EXPECT_EQ(late.error().code(), v1::ROOM_FULL);
}

TEST_F(RoomService, UnknownTypesAndEmptyGroupsAreRefused) {
  std::promise<std::expected<rooms_service::placement, std::string>> done;
  service->create_reserved("nope", {}, {1}, [&](auto result) { done.set_value(std::move(result)); });
  EXPECT_FALSE(done.get_future().get());
  std::promise<std::expected<rooms_service::placement, std::string>> empty;
  service->create_reserved("dots", {}, {}, [&](auto result) { empty.set_value(std::move(result)); });
  EXPECT_FALSE(empty.get_future().get());
}

}  // namespace
}  // namespace guildhall::services
