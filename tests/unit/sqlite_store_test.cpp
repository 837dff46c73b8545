// store::sqlite::sqlite_backend against a real SQLite file in a fresh temp folder: accounts, chat history, paging,
// durability across reopen, and migrations.
#include "store/sqlite/sqlite_backend.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "temp_dir.hpp"

namespace guildhall::store::sqlite {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;

chat_record channel_line(std::uint64_t id, std::string channel, std::uint64_t from, std::string text) {
  chat_record r;
  r.id = id;
  r.channel = std::move(channel);
  r.from_user_id = from;
  r.from_username = "user" + std::to_string(from);
  r.text = std::move(text);
  r.sent_at_ms = kNow + static_cast<std::int64_t>(id);
  return r;
}

chat_record direct_line(std::uint64_t id, std::uint64_t from, std::uint64_t to, std::string text) {
  chat_record r;
  r.id = id;
  r.from_user_id = from;
  r.from_username = "user" + std::to_string(from);
  r.to_user_id = to;
  r.to_username = "user" + std::to_string(to);
  r.text = std::move(text);
  r.sent_at_ms = kNow + static_cast<std::int64_t>(id);
  return r;
}

std::vector<std::uint64_t> ids_of(const std::vector<chat_record>& records) {
  std::vector<std::uint64_t> ids;
  for (const auto& r : records) ids.push_back(r.id);
  return ids;
}

// A single-value query run straight against the file, to check what the backend wrote.
std::int64_t query_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

sqlite_options options_for(const std::string& path) {
  sqlite_options options;
  options.path = path;
  return options;
}

void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

class SqliteStore : public ::testing::Test {
 protected:
  std::unique_ptr<backend> open() {
    auto opened = sqlite_backend::open(options_for(path_));
    EXPECT_TRUE(opened.has_value()) << opened.error().message;
    if (!opened) return nullptr;
    return std::move(*opened);
  }
  void SetUp() override {
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  test_support::temp_dir dir_;
  std::string path_ = dir_.file("guildhall.db");
  std::unique_ptr<backend> store_;
};

TEST_F(SqliteStore, CreateUserThenFindItByNameIdAndDevice) {
  auto ada = store_->create_user("Ada", "$argon2id$hash", "", kNow);
  ASSERT_TRUE(ada.has_value()) << ada.error().message;
  EXPECT_GT(ada->id, 0u);
  EXPECT_EQ(ada->username, "Ada");
  auto guest = store_->create_user("guest-0badf00d", "", "device-0001", kNow + 1);
  ASSERT_TRUE(guest.has_value()) << guest.error().message;
  EXPECT_NE(guest->id, ada->id);

  auto by_name = store_->find_user_by_name("Ada");
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, ada->id);
  EXPECT_EQ(by_name->password_hash, "$argon2id$hash");
  EXPECT_EQ(by_name->device_id, "");
  EXPECT_EQ(by_name->created_at_ms, kNow);

  auto by_id = store_->find_user_by_id(guest->id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->username, "guest-0badf00d");
  EXPECT_EQ(by_id->device_id, "device-0001");

  auto by_device = store_->find_user_by_device("device-0001");
  ASSERT_TRUE(by_device.has_value());
  EXPECT_EQ(by_device->id, guest->id);
  EXPECT_EQ(by_device->password_hash, "");
}

TEST_F(SqliteStore, UsernamesAreUniqueIgnoringCase) {
  ASSERT_TRUE(store_->create_user("ada", "h", "", kNow).has_value());
  for (const char* taken : {"ada", "ADA", "Ada", "aDa"}) {
    auto again = store_->create_user(taken, "h2", "", kNow);
    ASSERT_FALSE(again.has_value()) << taken;
    EXPECT_EQ(again.error().code, errc::conflict) << again.error().message;
  }
  // The lookup ignores case too, and returns the name as first registered.
  auto found = store_->find_user_by_name("ADA");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->username, "ada");
}

TEST_F(SqliteStore, DeviceIdsAreUnique) {
  ASSERT_TRUE(store_->create_user("guest-1", "", "device-0001", kNow).has_value());
  auto again = store_->create_user("guest-2", "", "device-0001", kNow);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, errc::conflict);
}

TEST_F(SqliteStore, ManyUsersWithoutDeviceDoNotConflict) {
  // Registered users store no device id (NULL), and NULLs never collide in a UNIQUE column.
  for (int i = 0; i < 5; ++i) {
    auto user = store_->create_user("user" + std::to_string(i), "h", "", kNow);
    ASSERT_TRUE(user.has_value()) << user.error().message;
  }
  auto none = store_->find_user_by_device("");
  ASSERT_FALSE(none.has_value()) << "an empty device id must not find a registered user";
  EXPECT_EQ(none.error().code, errc::not_found);
}

TEST_F(SqliteStore, UnknownUsersAreNotFound) {
  ASSERT_TRUE(store_->create_user("ada", "h", "device-0001", kNow).has_value());
  auto by_name = store_->find_user_by_name("bob");
  ASSERT_FALSE(by_name.has_value());
  EXPECT_EQ(by_name.error().code, errc::not_found);
  auto by_id = store_->find_user_by_id(999'999);
  ASSERT_FALSE(by_id.has_value());
  EXPECT_EQ(by_id.error().code, errc::not_found);
  auto by_device = store_->find_user_by_device("device-0002");
  ASSERT_FALSE(by_device.has_value());
  EXPECT_EQ(by_device.error().code, errc::not_found);
}

TEST_F(SqliteStore, HostileStringsAreStoredVerbatim) {
  const std::string name = "x'); DROP TABLE users; --";
  ASSERT_TRUE(store_->create_user(name, "h", "", kNow).has_value());
  auto found = store_->find_user_by_name(name);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->username, name);
  EXPECT_TRUE(store_->find_user_by_name("ada").error().code == errc::not_found) << "users table still works";
}

TEST_F(SqliteStore, ChannelHistoryIsNewestFirstAndPerChannel) {
  const std::vector<chat_record> lines = {
      channel_line(101, "lobby", 1, "first"),
      channel_line(102, "other", 2, "elsewhere"),
      channel_line(103, "lobby", 2, "second"),
      channel_line(104, "lobby", 1, "third"),
  };
  ASSERT_TRUE(store_->append_messages(lines).has_value());
  auto page = store_->channel_history("lobby", 0, 50);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_EQ(ids_of(*page), (std::vector<std::uint64_t>{104, 103, 101}));
  const chat_record& newest = page->front();
  EXPECT_EQ(newest.channel, "lobby");
  EXPECT_EQ(newest.from_user_id, 1u);
  EXPECT_EQ(newest.from_username, "user1");
  EXPECT_EQ(newest.text, "third");
  EXPECT_EQ(newest.sent_at_ms, kNow + 104);
  EXPECT_EQ(ids_of(*store_->channel_history("other", 0, 50)), std::vector<std::uint64_t>{102});
  EXPECT_TRUE(store_->channel_history("nobody-here", 0, 50)->empty());
}

TEST_F(SqliteStore, ChannelHistoryPagesWithBeforeIdCursor) {
  std::vector<chat_record> lines;
  for (std::uint64_t id = 1; id <= 25; ++id) lines.push_back(channel_line(1000 + id, "lobby", 1, "m" + std::to_string(id)));
  ASSERT_TRUE(store_->append_messages(lines).has_value());

  std::vector<std::uint64_t> seen;
  std::uint64_t cursor = 0;
  int pages = 0;
  while (true) {
    auto page = store_->channel_history("lobby", cursor, 10);
    ASSERT_TRUE(page.has_value());
    if (page->empty()) break;
    ASSERT_LE(page->size(), 10u);
    for (const auto& r : *page) seen.push_back(r.id);
    cursor = page->back().id;
    ASSERT_LT(++pages, 10) << "paging does not end";
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1025 - i) << "every message once, newest first";
}

TEST_F(SqliteStore, BeforeIdIsExclusiveAndLimitIsHonoured) {
  std::vector<chat_record> lines;
  for (std::uint64_t id = 1; id <= 5; ++id) lines.push_back(channel_line(id, "lobby", 1, "x"));
  ASSERT_TRUE(store_->append_messages(lines).has_value());
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", 4, 50)), (std::vector<std::uint64_t>{3, 2, 1}));
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", 0, 2)), (std::vector<std::uint64_t>{5, 4}));
  EXPECT_TRUE(store_->channel_history("lobby", 1, 50)->empty());
  EXPECT_TRUE(store_->channel_history("lobby", 0, 0)->empty());
}

TEST_F(SqliteStore, LargeIdsAreCursorsToo) {
  // Snowflake ids use the high bits; they must not turn negative or lose precision on the way through SQLite.
  const std::uint64_t base = 0x3fff'ffff'ffff'0000ull;
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(base + 1, "lobby", 1, "a"),
                                                  channel_line(base + 2, "lobby", 1, "b")})
                  .has_value());
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", 0, 10)), (std::vector<std::uint64_t>{base + 2, base + 1}));
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", base + 2, 10)), std::vector<std::uint64_t>{base + 1});
}

TEST_F(SqliteStore, DirectHistoryWorksInBothDirections) {
  ASSERT_TRUE(store_->append_messages(std::vector{
                                          direct_line(1, 10, 20, "hi bob"),
                                          direct_line(2, 20, 10, "hi ada"),
                                          direct_line(3, 10, 30, "hi cyd"),  // another pair
                                          direct_line(4, 10, 20, "how are you"),
                                      })
                  .has_value());
  auto from_ada = store_->direct_history(10, 20, 0, 50);
  auto from_bob = store_->direct_history(20, 10, 0, 50);
  ASSERT_TRUE(from_ada && from_bob);
  EXPECT_EQ(ids_of(*from_ada), (std::vector<std::uint64_t>{4, 2, 1}));
  EXPECT_EQ(ids_of(*from_bob), ids_of(*from_ada));
  const chat_record& reply = (*from_ada)[1];
  EXPECT_EQ(reply.from_user_id, 20u);
  EXPECT_EQ(reply.from_username, "user20");
  EXPECT_EQ(reply.to_user_id, 10u);
  EXPECT_EQ(reply.to_username, "user10");
  EXPECT_EQ(reply.text, "hi ada");
  EXPECT_TRUE(reply.channel.empty());
  EXPECT_EQ(ids_of(*store_->direct_history(30, 10, 0, 50)), std::vector<std::uint64_t>{3});
  EXPECT_EQ(ids_of(*store_->direct_history(20, 10, 4, 1)), std::vector<std::uint64_t>{2});
  EXPECT_TRUE(store_->direct_history(20, 30, 0, 50)->empty());
}

TEST_F(SqliteStore, DirectMessagesDoNotShowUpInChannels) {
  ASSERT_TRUE(store_->append_messages(std::vector{direct_line(1, 10, 20, "secret")}).has_value());
  EXPECT_TRUE(store_->channel_history("", 0, 50)->empty());
}

TEST_F(SqliteStore, TextIsStoredByteExact) {
  const std::string text = std::string("nul\0inside ", 11) + "\xf0\x9f\x98\x80 'quotes' \"double\"";
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(1, "lobby", 1, text)}).has_value());
  EXPECT_EQ(store_->channel_history("lobby", 0, 1)->front().text, text);
}

TEST_F(SqliteStore, EmptyAppendSucceeds) {
  EXPECT_TRUE(store_->append_messages({}).has_value());
}

TEST_F(SqliteStore, AppendIsAllOrNothing) {
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(5, "lobby", 1, "already here")}).has_value());
  // The third record reuses id 5: the batch fails and the first two are rolled back with it.
  auto outcome = store_->append_messages(
      std::vector{channel_line(6, "lobby", 1, "a"), direct_line(7, 1, 2, "b"), channel_line(5, "lobby", 1, "dup")});
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, errc::internal);
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", 0, 50)), std::vector<std::uint64_t>{5});
  EXPECT_TRUE(store_->direct_history(1, 2, 0, 50)->empty());
  // And the backend is usable afterwards: the failed transaction did not stay open.
  EXPECT_TRUE(store_->append_messages(std::vector{channel_line(8, "lobby", 1, "after")}).has_value());
  EXPECT_EQ(ids_of(*store_->channel_history("lobby", 0, 50)), (std::vector<std::uint64_t>{8, 5}));
}

TEST_F(SqliteStore, DataSurvivesCloseAndReopen) {
  auto ada = store_->create_user("ada", "h", "", kNow);
  ASSERT_TRUE(ada.has_value());
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(1, "lobby", ada->id, "persisted"),
                                                  direct_line(2, ada->id, 99, "dm")})
                  .has_value());
  store_.reset();

  store_ = open();
  ASSERT_NE(store_, nullptr);
  auto found = store_->find_user_by_name("ada");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, ada->id);
  EXPECT_EQ(store_->channel_history("lobby", 0, 10)->front().text, "persisted");
  EXPECT_EQ(store_->direct_history(99, ada->id, 0, 10)->front().text, "dm");
  // Ids keep growing after a reopen (AUTOINCREMENT), never reusing a deleted or earlier one.
  auto bob = store_->create_user("bob", "h", "", kNow);
  ASSERT_TRUE(bob.has_value());
  EXPECT_GT(bob->id, ada->id);
}

// Delivery is at least once: reading notifications leaves them stored; only their user's acknowledgement
// deletes them, and ids are stable across reads.
TEST_F(SqliteStore, NotificationsStayUntilTheirUserDeletesThem) {
  const notification_record note{0, 7, 2, 40, "chess", "chess against bob is won (resignation)", kNow};
  auto first = store_->add_notification(note);
  auto second = store_->add_notification(notification_record{0, 7, 1, 41, "chess", "your move", kNow + 1});
  auto other = store_->add_notification(notification_record{0, 8, 1, 41, "chess", "your move", kNow + 1});
  ASSERT_TRUE(first && second && other);
  EXPECT_LT(*first, *second);

  for (int read = 0; read < 2; ++read) {
    auto pending = store_->pending_notifications(7, 10);
    ASSERT_TRUE(pending.has_value()) << pending.error().message;
    ASSERT_EQ(pending->size(), 2u) << "read " << read;
    EXPECT_EQ(pending->front().id, *first);
    EXPECT_EQ(pending->front().text, note.text);
    EXPECT_EQ(pending->front().match_id, 40u);
    EXPECT_EQ(pending->back().id, *second);
  }
  EXPECT_EQ(store_->pending_notifications(7, 1)->size(), 1u);

  // Another user's id is not ours to delete; an unknown or repeated id deletes nothing.
  const std::vector<std::uint64_t> ids{*first, *other, *first, 999'999};
  EXPECT_EQ(store_->delete_notifications(7, ids).value(), 1u);
  auto left = store_->pending_notifications(7, 10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().id, *second);
  EXPECT_EQ(store_->pending_notifications(8, 10)->size(), 1u);
}

TEST_F(SqliteStore, ARefreshTokenRotatesOnceAndItsReuseRevokesTheFamily) {
  constexpr std::int64_t kTtl = 1'000;
  ASSERT_TRUE(store_->start_refresh_family("h1", 7, kNow + kTtl, kNow).has_value());
  ASSERT_TRUE(store_->start_refresh_family("other-login", 7, kNow + kTtl, kNow).has_value());

  auto first = store_->rotate_refresh_token("h1", "h2", kNow + 10 + kTtl, kNow + 10, 0);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->outcome, refresh_outcome::rotated);
  EXPECT_EQ(first->user_id, 7u);
  auto second = store_->rotate_refresh_token("h2", "h3", kNow + 20 + kTtl, kNow + 20, 0);
  EXPECT_EQ(second->outcome, refresh_outcome::rotated);

  // h1 was rotated already: a copy is in someone's hands. The family (h1, h2, h3) goes; the other login stays.
  EXPECT_EQ(store_->rotate_refresh_token("h1", "h4", kNow + 30 + kTtl, kNow + 30, 0)->outcome, refresh_outcome::reused);
  EXPECT_EQ(store_->rotate_refresh_token("h3", "h5", kNow + 40 + kTtl, kNow + 40, 0)->outcome, refresh_outcome::revoked);
  EXPECT_EQ(store_->rotate_refresh_token("h4", "h6", kNow + 40 + kTtl, kNow + 40, 0)->outcome, refresh_outcome::unknown);
  EXPECT_EQ(store_->rotate_refresh_token("other-login", "o2", kNow + 50 + kTtl, kNow + 50, 0)->outcome,
            refresh_outcome::rotated);
}

TEST_F(SqliteStore, ASecondUseWithinTheReuseGraceRotatesAgainAndLaterRevokesTheFamily) {
  constexpr std::int64_t kTtl = 100'000;
  constexpr std::int64_t kGrace = 500;
  ASSERT_TRUE(store_->start_refresh_family("g1", 7, kNow + kTtl, kNow).has_value());
  ASSERT_EQ(store_->rotate_refresh_token("g1", "g2", kNow + kTtl, kNow, kGrace)->outcome, refresh_outcome::rotated);

  // The answer carrying g2 was lost (or another tab refreshed first): g1 again, within the grace, is no theft.
  auto retried = store_->rotate_refresh_token("g1", "g3", kNow + kTtl, kNow + kGrace, kGrace);
  ASSERT_TRUE(retried.has_value()) << retried.error().message;
  EXPECT_EQ(retried->outcome, refresh_outcome::rotated);
  EXPECT_TRUE(retried->within_grace);
  EXPECT_EQ(retried->user_id, 7u);
  // Both successors are live tokens of the login.
  EXPECT_EQ(store_->rotate_refresh_token("g2", "g4", kNow + kTtl, kNow + kGrace, kGrace)->outcome,
            refresh_outcome::rotated);
  EXPECT_EQ(store_->rotate_refresh_token("g3", "g5", kNow + kTtl, kNow + kGrace, kGrace)->outcome,
            refresh_outcome::rotated);

  // The window runs from g1's first rotation and a retry does not extend it: past it, g1 is a stolen copy.
  EXPECT_EQ(store_->rotate_refresh_token("g1", "g6", kNow + kTtl, kNow + kGrace + 1, kGrace)->outcome,
            refresh_outcome::reused);
  EXPECT_EQ(store_->rotate_refresh_token("g4", "g7", kNow + kTtl, kNow + kGrace + 2, kGrace)->outcome,
            refresh_outcome::revoked);
  EXPECT_EQ(store_->rotate_refresh_token("g5", "g8", kNow + kTtl, kNow + kGrace + 2, kGrace)->outcome,
            refresh_outcome::revoked);
}

TEST_F(SqliteStore, LogoutRevokesTheLoginAndExpiredTokensAreRefused) {
  ASSERT_TRUE(store_->start_refresh_family("a1", 7, kNow + 100, kNow).has_value());
  ASSERT_EQ(store_->rotate_refresh_token("a1", "a2", kNow + 200, kNow, 0)->outcome, refresh_outcome::rotated);
  EXPECT_TRUE(store_->revoke_refresh_family("a2").value());
  EXPECT_FALSE(store_->revoke_refresh_family("never-issued").value());
  EXPECT_EQ(store_->rotate_refresh_token("a2", "a3", kNow + 300, kNow, 0)->outcome, refresh_outcome::revoked);

  ASSERT_TRUE(store_->start_refresh_family("b1", 8, kNow + 100, kNow).has_value());
  EXPECT_EQ(store_->rotate_refresh_token("b1", "b2", kNow + 300, kNow + 100, 0)->outcome, refresh_outcome::expired);
  // A new login forgets tokens past their expiry, so the table holds about one TTL's worth of logins.
  ASSERT_TRUE(store_->start_refresh_family("c1", 9, kNow + 10'000, kNow + 1'000).has_value());
  EXPECT_EQ(query_int(path_, "SELECT COUNT(*) FROM refresh_tokens"), 1);
}

TEST_F(SqliteStore, MigrationsAreAppliedOnce) {
  store_.reset();
  for (int i = 0; i < 3; ++i) ASSERT_NE(open(), nullptr) << "reopen " << i;
  EXPECT_EQ(query_int(path_, "SELECT COUNT(*) FROM schema_migrations"), latest_schema_version());
  EXPECT_EQ(query_int(path_, "SELECT MAX(version) FROM schema_migrations"), latest_schema_version());
  EXPECT_EQ(query_int(path_, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'"), 1);
}

TEST_F(SqliteStore, FileIsInWalMode) {
  EXPECT_EQ(query_int(path_, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

TEST_F(SqliteStore, SecondConnectionSeesCommittedWrites) {
  // The database facade runs a writer and readers on separate connections to one file.
  auto reader = open();
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(store_->create_user("ada", "h", "", kNow).has_value());
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(1, "lobby", 1, "x")}).has_value());
  EXPECT_TRUE(reader->find_user_by_name("ada").has_value());
  EXPECT_EQ(reader->channel_history("lobby", 0, 10)->size(), 1u);
}

TEST_F(SqliteStore, DeferredCheckpointsLeaveTheLogToAnotherConnection) {
  // The writer's own commits never checkpoint once deferred: the log grows past SQLite's automatic threshold.
  store_->defer_checkpoints();
  const std::string two_kilobytes(2'000, 'x');
  std::uint64_t id = 0;
  while (store_->log_pages() < 1'500) {
    ASSERT_TRUE(store_->append_messages(std::vector{channel_line(++id, "lobby", 1, two_kilobytes)}).has_value());
    ASSERT_LT(id, 10'000u) << "the log never grew: commits are still checkpointing";
  }
  // Another connection copies the log back without the writer; the writer's next commit then starts the log
  // over from its beginning.
  auto checkpointer = open();
  ASSERT_NE(checkpointer, nullptr);
  ASSERT_TRUE(checkpointer->checkpoint().has_value());
  ASSERT_TRUE(store_->append_messages(std::vector{channel_line(++id, "lobby", 1, "after")}).has_value());
  EXPECT_LT(store_->log_pages(), 10u);
  EXPECT_EQ(query_int(path_, "SELECT COUNT(*) FROM channel_messages"), static_cast<std::int64_t>(id));
}

TEST_F(SqliteStore, NewerSchemaThanThisBuildIsRefused) {
  store_.reset();
  exec_sql(path_, "INSERT INTO schema_migrations VALUES (" + std::to_string(latest_schema_version() + 1) + ", 0)");
  auto opened = sqlite_backend::open(options_for(path_));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, errc::internal);
  EXPECT_NE(opened.error().message.find("newer"), std::string::npos) << opened.error().message;
}

TEST(SqliteStoreOpen, MissingFolderIsAnErrorNotAnException) {
  test_support::temp_dir dir;
  auto opened = sqlite_backend::open(options_for(dir.file("no/such/folder/guildhall.db")));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, errc::internal);
}

TEST(SqliteStoreOpen, FileThatIsNotADatabaseIsAnError) {
  test_support::temp_dir dir;
  const std::string path = dir.file("garbage.db");
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string junk(4096, '\x5a');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  auto opened = sqlite_backend::open(options_for(path));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, errc::internal);
}

}  // namespace
}  // namespace guildhall::store::sqlite
