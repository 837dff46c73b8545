// rooms.* settings: defaults, validation, and the names the server configuration reads them by.
#include <gtest/gtest.h>

#include "server/config.hpp"
#include "services/rooms/rooms_config.hpp"

namespace guildhall {
namespace {

TEST(RoomsConfig, DefaultsAreValidAndNonsenseIsRefused) {
  EXPECT_TRUE(services::rooms_config{}.validate());
  EXPECT_EQ(services::rooms_config{}.reconnect_grace_ms, 20'000);
  EXPECT_EQ(services::rooms_config{}.reservation_ttl_ms, 15'000);
  services::rooms_config bad;
  bad.reconnect_grace_ms = -1;
  EXPECT_FALSE(bad.validate());
  bad = {};
  bad.reservation_ttl_ms = 0;
  EXPECT_FALSE(bad.validate());
  bad = {};
  bad.max_rooms = 0;
  EXPECT_FALSE(bad.validate());
}

TEST(RoomsConfig, SettingsAreReadByTheirDottedNames) {
  auto config = server::load_config("", {{"rooms.reconnect_grace_ms", "500"}, {"rooms.empty_dispose_ms", "100"},
                                         {"rooms.reservation_ttl_ms", "2000"}, {"rooms.max_rooms", "7"},
                                         {"rooms.max_rooms_per_user", "2"}, {"rooms.max_rooms_per_connection", "3"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->rooms.reconnect_grace_ms, 500);
  EXPECT_EQ(config->rooms.empty_dispose_ms, 100);
  EXPECT_EQ(config->rooms.reservation_ttl_ms, 2000);
  EXPECT_EQ(config->rooms.max_rooms, 7u);
  EXPECT_EQ(config->rooms.max_rooms_per_user, 2u);
  EXPECT_EQ(config->rooms.max_rooms_per_connection, 3u);
  EXPECT_FALSE(server::load_config("", {{"rooms.reservation_ttl_ms", "0"}}));
}

}  // namespace
}  // namespace guildhall
