// services::turn_service when the store fails a move (fault injection): the mover is told, nobody sees the
// move, the match is read back from the store, and play goes on from the stored position.
#include "services/turns/turn_service.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <thread>
#include <mutex>

#include "faulty_backend.hpp"
#include "games/tictactoe/tictactoe.hpp"
#include "recording_connection.hpp"
#include "store/sqlite/sqlite_backend.hpp"
#include "temp_dir.hpp"

namespace guildhall::services {
namespace {
namespace v1 = wire::v1;
using namespace std::chrono_literals;

bool has_cid(const v1::Envelope& envelope, std::uint32_t cid) { return envelope.cid() == cid; }

class TurnServiceFaults : public ::testing::Test {
 protected:
  TurnServiceFaults() {
    auto opened = store::database::open(
        [path = dir_.file("guildhall.db"), fail_moves = fail_moves_]() -> result<std::unique_ptr<store::backend>> {
          auto sqlite = store::sqlite::sqlite_backend::open({path});
          if (!sqlite) return std::unexpected(sqlite.error());
          return std::make_unique<test_support::faulty_backend>(std::move(*sqlite),
                                                                std::make_shared<std::atomic<bool>>(false),
                                                                std::make_shared<std::atomic<int>>(0), fail_moves);
        });
    db_ = std::move(*opened);
    games_.add(std::make_unique<games::tictactoe_game>());
    turns_ = std::make_unique<turn_service>(
        shards_, *db_, games_, bots_, player_ref{999, "bot", true, 0},
        [](std::uint64_t, v1::Envelope, std::move_only_function<void()> when_offline) { when_offline(); },
        turns_config{});
    shards_.start();
    turns_->start();
  }
  ~TurnServiceFaults() override {
    shards_.stop();
    bots_.stop();
    db_->stop();
  }

  // Runs `request` on the connections' shard, as a client session would.
  void on_shard(std::move_only_function<void()> request) { shards_.post(0, std::move(request)); }

  void move(const std::shared_ptr<recording_connection>& who, const identity& as, std::uint64_t match_id,
            std::uint32_t cid, std::string cell) {
    on_shard([this, who, as, match_id, cid, cell = std::move(cell)]() mutable {
      turns_->make_move(as, who, cid, match_id, std::move(cell), std::nullopt);
    });
  }

  test_support::temp_dir dir_;
  std::shared_ptr<std::atomic<bool>> fail_moves_ = std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<store::database> db_;
  net::shard_pool shards_{1};
  game_registry games_;
  bot_runner bots_{1, nullptr};
  std::unique_ptr<turn_service> turns_;
};

TEST_F(TurnServiceFaults, AFailedMoveWriteIsReportedUnseenAndRolledBack) {
  const identity ada{1, "ada"}, bob{2, "bob"};
  auto ada_device = std::make_shared<recording_connection>(1);
  auto bob_device = std::make_shared<recording_connection>(2);
  v1::CreateMatch create;
  create.set_game("tictactoe");
  create.set_seat(v1::SEAT_FIRST);
  on_shard([&, create] { turns_->create_match(ada, ada_device, 1, create); });
  const auto created = ada_device->next([](const auto& e) { return has_cid(e, 1); });
  ASSERT_TRUE(created && created->has_match_snapshot()) << (created ? created->DebugString() : "nothing");
  const auto id = created->match_snapshot().info().match_id();
  on_shard([&] { turns_->join_match(bob, bob_device, 2, id); });
  ASSERT_TRUE(bob_device->next([](const auto& e) { return has_cid(e, 2); }));

  fail_moves_->store(true);
  move(ada_device, ada, id, 3, "4");
  const auto refused = ada_device->next([](const auto& e) { return has_cid(e, 3); });
  ASSERT_TRUE(refused && refused->has_error());
  EXPECT_EQ(refused->error().code(), v1::INTERNAL);
  EXPECT_FALSE(bob_device->next([](const auto& e) { return e.has_match_event() && e.match_event().has_move(); }, 300ms))
      << "a move that was not stored must not be announced";

  // Once the store works again the match is the stored one: the cell is free, it is still X's move.
  fail_moves_->store(false);
  std::optional<v1::Envelope> answer;
  for (std::uint32_t cid = 10; cid < 60; ++cid) {  // "being reloaded" until the read-back lands
    move(ada_device, ada, id, cid, "4");
    answer = ada_device->next([cid](const auto& e) { return has_cid(e, cid); });
    if (answer && answer->has_move_accepted()) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(answer && answer->has_move_accepted()) << (answer ? answer->DebugString() : "nothing");
  EXPECT_EQ(answer->move_accepted().move().ply(), 1u);
  std::promise<std::size_t> stored_moves;
  db_->read([&](store::backend& store) { stored_moves.set_value(store.match_moves(id, 0)->size()); });
  EXPECT_EQ(stored_moves.get_future().get(), 1u);
}

}  // namespace
}  // namespace guildhall::services
