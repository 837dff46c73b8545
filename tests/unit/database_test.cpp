// store::database: the asynchronous group-commit facade over real SQLite backends, driven from several threads;
// plus fault injection (a backend that fails on demand) to reach the error paths.
#include "store/database.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_backend.hpp"
#include "faulty_backend.hpp"
#include "temp_dir.hpp"

namespace guildhall::store {
namespace {

chat_record line(std::uint64_t id, std::string text) {
  chat_record r;
  r.id = id;
  r.channel = "lobby";
  r.from_user_id = 1;
  r.from_username = "ada";
  r.text = std::move(text);
  r.sent_at_ms = 1'800'000'000'000;
  return r;
}

class Database : public ::testing::Test {
 protected:
  backend_factory sqlite_factory() {
    return [path = dir_.file("guildhall.db"), fail = fail_appends_,
            calls = append_calls_]() -> result<std::unique_ptr<backend>> {
      sqlite::sqlite_options options;
      options.path = path;
      auto opened = sqlite::sqlite_backend::open(options);
      if (!opened) return std::unexpected(opened.error());
      return std::make_unique<test_support::faulty_backend>(std::move(*opened), fail, calls);
    };
  }

  std::unique_ptr<database> open(unsigned readers = 2) {
    auto db = database::open(sqlite_factory(), readers);
    EXPECT_TRUE(db.has_value()) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }

  // Runs `query` on a reader thread and waits for its answer.
  std::vector<chat_record> history(database& db, std::uint32_t limit = 100'000) {
    std::promise<result<std::vector<chat_record>>> answer;
    auto future = answer.get_future();
    db.read([&answer, limit](backend& b) { answer.set_value(b.channel_history("lobby", 0, limit)); });
    auto got = future.get();
    EXPECT_TRUE(got.has_value());
    return got ? *got : std::vector<chat_record>{};
  }

  test_support::temp_dir dir_;
  std::shared_ptr<std::atomic<bool>> fail_appends_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> append_calls_ = std::make_shared<std::atomic<int>>(0);
};

TEST_F(Database, ReadRunsOnAReaderConnection) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  std::promise<std::thread::id> ran_on;
  db->read([&](backend& b) {
    EXPECT_TRUE(b.channel_history("lobby", 0, 10).has_value());
    ran_on.set_value(std::this_thread::get_id());
  });
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST_F(Database, ConcurrentAppendsAllSucceedAndAreReadable) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::atomic<int> succeeded{0}, failed{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto id = static_cast<std::uint64_t>(t * kPerThread + i + 1);
        db->append_messages({line(id, "t" + std::to_string(t) + "-" + std::to_string(i))},
                           [&](const result<void>& outcome) { ++(outcome ? succeeded : failed); });
      }
    });
  }
  for (auto& p : producers) p.join();

  // A write queued after every append runs after they are committed: a barrier without sleeping.
  std::promise<void> barrier;
  db->write([&](backend&) { barrier.set_value(); });
  barrier.get_future().get();
  EXPECT_EQ(succeeded.load(), kThreads * kPerThread);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_LE(append_calls_->load(), kThreads * kPerThread) << "group commit never takes more transactions than messages";

  const auto stored = history(*db);
  ASSERT_EQ(stored.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::uint64_t> ids;
  for (const auto& r : stored) ids.insert(r.id);
  EXPECT_EQ(ids.size(), stored.size());
  EXPECT_EQ(*ids.begin(), 1u);
  EXPECT_EQ(*ids.rbegin(), static_cast<std::uint64_t>(kThreads * kPerThread));
}

TEST_F(Database, DoneRunsOnceTheMessageIsDurable) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  std::promise<result<void>> done;
  db->append_messages({line(1, "hello")}, [&](const result<void>& outcome) { done.set_value(outcome); });
  ASSERT_TRUE(done.get_future().get().has_value());
  // Readable from another connection as soon as `done` said so.
  const auto stored = history(*db);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, "hello");
}

TEST_F(Database, WritesKeepTheirOrderWithAppends) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  std::promise<std::size_t> seen_by_write;
  db->append_messages({line(1, "a")}, [](const result<void>&) {});
  db->append_messages({line(2, "b")}, [](const result<void>&) {});
  db->write([&](backend& b) { seen_by_write.set_value(b.channel_history("lobby", 0, 10)->size()); });
  EXPECT_EQ(seen_by_write.get_future().get(), 2u);
}

TEST_F(Database, GroupedWritesShareATransactionButFailAlone) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  // Hold the writer so every grouped write below is waiting when it wakes: they then share one commit.
  std::promise<void> release;
  auto released = release.get_future().share();
  db->write([released](backend&) { released.wait(); });
  std::vector<std::promise<result<void>>> outcomes(3);
  for (std::uint64_t id = 1; id <= 3; ++id) {
    db->write_grouped(
        [id](backend& b) -> result<void> {
          match_record match;
          match.id = id;
          match.game = "tictactoe";
          match.seats.resize(2);
          if (auto stored = b.insert_match(match); !stored) return stored;
          // The second work stores its match and then fails: its savepoint must undo the insert, alone.
          if (id == 2) return fail(errc::internal, "injected failure after a write");
          return {};
        },
        [&outcomes, id](const result<void>& outcome) { outcomes[id - 1].set_value(outcome); });
  }
  release.set_value();
  EXPECT_TRUE(outcomes[0].get_future().get().has_value());
  EXPECT_FALSE(outcomes[1].get_future().get().has_value());
  EXPECT_TRUE(outcomes[2].get_future().get().has_value());
  std::promise<std::vector<bool>> found;
  db->read([&found](backend& b) {
    found.set_value({b.find_match(1).has_value(), b.find_match(2).has_value(), b.find_match(3).has_value()});
  });
  EXPECT_EQ(found.get_future().get(), (std::vector<bool>{true, false, true}));
}

TEST_F(Database, StopFinishesQueuedAppends) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  std::atomic<int> done{0};
  for (std::uint64_t id = 1; id <= 100; ++id) {
    db->append_messages({line(id, "x")}, [&](const result<void>& outcome) { done += outcome ? 1 : 0; });
  }
  db->stop();
  EXPECT_EQ(done.load(), 100);
  db->stop();  // twice is harmless
  db.reset();

  auto reopened = open(1);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(history(*reopened).size(), 100u);
}

// Regression: stop() stopped the writer before the readers, so a lookup still queued at shutdown that ended in a
// write (a guest account created after its device was looked up) queued it on a stopped writer, where it was
// neither run nor reported.
TEST_F(Database, ALookupThatFinishesDuringStopStillHasItsWriteStored) {
  auto db = open(1);
  ASSERT_NE(db, nullptr);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> stored{0};
  // The reader is held up until stop() has begun, so its write arrives during shutdown.
  db->read([&](backend&) {
    released.wait();
    db->append_messages({line(7, "late")}, [&](const result<void>& outcome) { stored += outcome ? 1 : 0; });
  });
  std::thread stopper([&] { db->stop(); });
  // The outcome does not depend on this pause (stop waits for the held reader whatever the timing); it only gives
  // the old order, writer first, the time to stop the writer before the lookup's write arrives.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release.set_value();
  stopper.join();
  EXPECT_EQ(stored.load(), 1);
  db.reset();
  auto reopened = open(1);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(history(*reopened).size(), 1u);
}

TEST_F(Database, WorkAfterStopIsRefusedAndWritesAreToldSo) {
  auto db = open(1);
  ASSERT_NE(db, nullptr);
  db->stop();
  std::optional<result<void>> appended, grouped;
  db->append_messages({line(1, "too late")}, [&](const result<void>& outcome) { appended = outcome; });
  db->write_grouped([](backend&) -> result<void> { return {}; }, [&](const result<void>& outcome) { grouped = outcome; });
  ASSERT_TRUE(appended && grouped);  // answered at once, on the caller's thread
  EXPECT_FALSE(appended->has_value());
  EXPECT_FALSE(grouped->has_value());
  bool ran = false;
  db->read([&](backend&) { ran = true; });
  EXPECT_FALSE(ran);
}

TEST_F(Database, FailedCommitIsReportedToEveryWaiter) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  fail_appends_->store(true);
  std::atomic<int> failed{0};
  for (std::uint64_t id = 1; id <= 20; ++id) {
    db->append_messages({line(id, "lost")}, [&](const result<void>& outcome) {
      if (!outcome && outcome.error().code == errc::internal) ++failed;
    });
  }
  std::promise<void> barrier;
  db->write([&](backend&) { barrier.set_value(); });
  barrier.get_future().get();
  EXPECT_EQ(failed.load(), 20);

  // The writer survives a failed commit.
  fail_appends_->store(false);
  std::promise<result<void>> done;
  db->append_messages({line(100, "kept")}, [&](const result<void>& outcome) { done.set_value(outcome); });
  EXPECT_TRUE(done.get_future().get().has_value());
  const auto stored = history(*db);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text, "kept");
}

// Routes spdlog's default logger into a string for one test.
class captured_log {
 public:
  captured_log() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

// Each commit is timed into guildhall_db_commit_seconds; a failed one is counted and logged, and so is one slower
// than slow_commit_ms. The queue-depth gauge comes back to where it was once the work is done.
TEST_F(Database, CommitsAreTimedAndFailedOrSlowOnesCountedAndLogged) {
  auto db = open();
  ASSERT_NE(db, nullptr);
  auto& made = database_metrics();
  const auto chat_commits = made.commit_seconds.count(series(commit_kind::chat));
  const auto grouped_commits = made.commit_seconds.count(series(commit_kind::grouped));
  const auto chat_failures = made.commit_failures.value(series(commit_kind::chat));
  const auto writer_depth = made.queue_depth.value(series(db_queue::writer));
  captured_log log;

  fail_appends_->store(true);
  std::promise<void> failed;
  db->append_messages({line(1, "lost")}, [&](const result<void>&) { failed.set_value(); });
  failed.get_future().get();
  fail_appends_->store(false);

  db->set_slow_commit_ms(1);
  std::promise<result<void>> slow;
  db->write_grouped(
      [](backend&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the slowness under test, not a wait
        return result<void>{};
      },
      [&](const result<void>& outcome) { slow.set_value(outcome); });
  EXPECT_TRUE(slow.get_future().get().has_value());
  std::promise<void> barrier;
  db->write([&](backend&) { barrier.set_value(); });
  barrier.get_future().get();
  db->stop();  // every batch has finished, depth bookkeeping included

  EXPECT_EQ(made.commit_seconds.count(series(commit_kind::chat)), chat_commits + 1);
  EXPECT_EQ(made.commit_seconds.count(series(commit_kind::grouped)), grouped_commits + 1);
  EXPECT_GE(made.commit_seconds.sum(series(commit_kind::grouped)), 5'000u);
  EXPECT_EQ(made.commit_failures.value(series(commit_kind::chat)), chat_failures + 1);
  EXPECT_EQ(made.queue_depth.value(series(db_queue::writer)), writer_depth);
  const std::string logged = log.text();
  EXPECT_NE(logged.find("store: chat batch of 1 items failed: injected failure"), std::string::npos) << logged;
  EXPECT_NE(logged.find("store: slow commit: grouped write of 1 items took"), std::string::npos) << logged;
}

TEST_F(Database, BackendThatCannotOpenIsAnError) {
  auto db = database::open([]() -> result<std::unique_ptr<backend>> { return fail(errc::internal, "disk on fire"); });
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().message, "disk on fire");
}

TEST_F(Database, ReaderThatCannotOpenIsAnError) {
  auto real = sqlite_factory();
  int calls = 0;
  auto db = database::open(
      [&]() -> result<std::unique_ptr<backend>> {
        if (++calls == 3) return fail(errc::internal, "third connection refused");
        return real();
      },
      2);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().message, "third connection refused");
}

}  // namespace
}  // namespace guildhall::store
