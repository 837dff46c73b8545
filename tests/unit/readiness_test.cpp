// /readyz against a real SQLite database and a real shard: ready, not started, draining, and a database reader
// that does not answer in time.
#include "server/readiness.hpp"

#include <gtest/gtest.h>

#include <future>

#include "store/sqlite/sqlite_backend.hpp"
#include "temp_dir.hpp"

namespace guildhall::server {
namespace {

class Readiness : public ::testing::Test {
 protected:
  Readiness() {
    const store::sqlite::sqlite_options options{dir_.file("guildhall.db"), "NORMAL"};
    auto opened = store::database::open(
        [&options]() -> result<std::unique_ptr<store::backend>> {
          auto backend = store::sqlite::sqlite_backend::open(options);
          if (!backend) return std::unexpected(backend.error());
          return std::unique_ptr<store::backend>(std::move(*backend));
        },
        1);
    if (!opened) throw std::runtime_error(opened.error().message);
    db_ = std::move(*opened);
    shards_.start();
  }
  ~Readiness() override {
    shards_.stop();
    db_->stop();
  }

  // Runs a check on the shard, as http_api does, and waits for its one answer.
  net::http_response check(readiness& ready) {
    std::promise<net::http_response> answer;
    auto got = answer.get_future();
    shards_.post(0, [&ready, &answer] {
      ready.check([&answer](net::http_response response) { answer.set_value(std::move(response)); });
    });
    return got.get();
  }

  test_support::temp_dir dir_;
  std::unique_ptr<store::database> db_;
  net::shard_pool shards_{1};
};

TEST_F(Readiness, ReadyOnlyWhileServingAndTheDatabaseAnswers) {
  readiness ready(*db_, shards_, 1000);
  auto starting = check(ready);
  EXPECT_EQ(starting.status, 503u);
  EXPECT_EQ(starting.body, R"({"status":"not ready","reason":"starting"})");

  ready.set_state(readiness::state::serving);
  auto serving = check(ready);
  EXPECT_EQ(serving.status, 200u);
  EXPECT_EQ(serving.body, R"({"status":"ready"})");

  ready.set_state(readiness::state::draining);
  auto draining = check(ready);
  EXPECT_EQ(draining.status, 503u);
  EXPECT_NE(draining.body.find("draining"), std::string::npos) << draining.body;
}

// A reader stuck behind slow work: the deadline answers 503, and the late database answer does not answer twice
// (a second call of the responder would be a use of a moved-from function).
TEST_F(Readiness, ADatabaseThatDoesNotAnswerInTimeIsNotReady) {
  readiness ready(*db_, shards_, 50);
  ready.set_state(readiness::state::serving);
  std::promise<void> release;
  auto released = release.get_future().share();
  db_->read([released](store::backend&) { released.wait(); });  // the only reader is busy until we say

  std::atomic<int> answers{0};
  std::promise<net::http_response> first;
  shards_.post(0, [&] {
    ready.check([&](net::http_response response) {
      if (answers.fetch_add(1) == 0) first.set_value(std::move(response));
    });
  });
  const auto answer = first.get_future().get();
  EXPECT_EQ(answer.status, 503u);
  EXPECT_EQ(answer.body, R"({"status":"not ready","reason":"database: no answer within 50 ms"})");

  release.set_value();
  std::promise<void> drained;
  db_->read([&drained](store::backend&) { drained.set_value(); });  // after the late ping on the same reader
  drained.get_future().get();
  EXPECT_EQ(answers.load(), 1);
  EXPECT_EQ(check(ready).status, 200u) << "ready again once the reader is free";
}

}  // namespace
}  // namespace guildhall::server
