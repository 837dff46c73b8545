#pragma once
// A backend for fault injection (STYLE.md 15): a real backend underneath, failing on demand.
#include <atomic>
#include <memory>

#include "store/store.hpp"

namespace guildhall::test_support {
using namespace guildhall::store;

// Forwards to a real backend; append_messages fails while `fail_appends` is set, and counts its calls;
// record_move fails while `fail_moves` is set (after the real write, inside its transaction: the worst case).
class faulty_backend final : public backend {
 public:
  faulty_backend(std::unique_ptr<backend> inner, std::shared_ptr<std::atomic<bool>> fail_appends,
                 std::shared_ptr<std::atomic<int>> append_calls,
                 std::shared_ptr<std::atomic<bool>> fail_moves = std::make_shared<std::atomic<bool>>(false))
      : inner_(std::move(inner)),
        fail_appends_(std::move(fail_appends)),
        append_calls_(std::move(append_calls)),
        fail_moves_(std::move(fail_moves)) {}

  result<user_record> create_user(std::string_view u, std::string_view p, std::string_view d, std::int64_t t) override {
    return inner_->create_user(u, p, d, t);
  }
  result<user_record> find_user_by_name(std::string_view u) override { return inner_->find_user_by_name(u); }
  result<user_record> find_user_by_id(std::uint64_t id) override { return inner_->find_user_by_id(id); }
  result<user_record> find_user_by_device(std::string_view d) override { return inner_->find_user_by_device(d); }
  result<void> append_messages(std::span<const chat_record> records) override {
    ++*append_calls_;
    if (*fail_appends_) return fail(errc::internal, "injected failure");
    return inner_->append_messages(records);
  }
  result<std::vector<chat_record>> channel_history(std::string_view c, std::uint64_t b, std::uint32_t l) override {
    return inner_->channel_history(c, b, l);
  }
  result<std::vector<chat_record>> direct_history(std::uint64_t a, std::uint64_t b, std::uint64_t before,
                                                  std::uint32_t l) override {
    return inner_->direct_history(a, b, before, l);
  }
  result<void> insert_match(const match_record& m) override { return inner_->insert_match(m); }
  result<void> update_match(const match_record& m) override { return inner_->update_match(m); }
  result<void> record_move(const match_record& m, const move_record& move) override {
    auto written = inner_->record_move(m, move);
    if (written && *fail_moves_) return fail(errc::internal, "injected failure");
    return written;
  }
  result<match_record> find_match(std::uint64_t id) override { return inner_->find_match(id); }
  result<std::vector<match_record>> live_matches() override { return inner_->live_matches(); }
  result<std::vector<move_record>> match_moves(std::uint64_t id, std::uint32_t after) override {
    return inner_->match_moves(id, after);
  }
  result<std::uint32_t> live_match_count(std::uint64_t u) override { return inner_->live_match_count(u); }
  result<std::vector<match_record>> user_matches(std::uint64_t u, bool f, std::uint32_t l) override {
    return inner_->user_matches(u, f, l);
  }
  result<std::uint64_t> add_notification(const notification_record& n) override { return inner_->add_notification(n); }
  result<std::vector<notification_record>> pending_notifications(std::uint64_t u, std::uint32_t l) override {
    return inner_->pending_notifications(u, l);
  }
  result<std::uint32_t> delete_notifications(std::uint64_t u, std::span<const std::uint64_t> ids) override {
    return inner_->delete_notifications(u, ids);
  }
  result<void> start_refresh_family(std::string_view h, std::uint64_t u, std::int64_t e, std::int64_t n) override {
    return inner_->start_refresh_family(h, u, e, n);
  }
  result<refresh_rotation> rotate_refresh_token(std::string_view o, std::string_view h, std::int64_t e,
                                                std::int64_t n, std::int64_t g) override {
    return inner_->rotate_refresh_token(o, h, e, n, g);
  }
  result<bool> revoke_refresh_family(std::string_view h) override { return inner_->revoke_refresh_family(h); }
  result<rating_record> find_rating(std::uint64_t u, std::string_view g) override { return inner_->find_rating(u, g); }
  result<void> save_rating(const rating_record& r) override { return inner_->save_rating(r); }
  result<std::vector<rating_record>> leaderboard(std::string_view g, std::uint32_t o, std::uint32_t l) override {
    return inner_->leaderboard(g, o, l);
  }
  result<std::uint32_t> leaderboard_rank(std::uint64_t u, std::string_view g) override {
    return inner_->leaderboard_rank(u, g);
  }
  result<void> begin_transaction() override { return inner_->begin_transaction(); }
  result<void> commit_transaction() override { return inner_->commit_transaction(); }
  void rollback_transaction() override { inner_->rollback_transaction(); }
  result<void> atomically(const std::function<result<void>()>& work) override { return inner_->atomically(work); }
  void defer_checkpoints() override { inner_->defer_checkpoints(); }
  std::uint32_t log_pages() const override { return inner_->log_pages(); }
  result<void> checkpoint() override { return inner_->checkpoint(); }

 private:
  std::unique_ptr<backend> inner_;
  std::shared_ptr<std::atomic<bool>> fail_appends_;
  std::shared_ptr<std::atomic<int>> append_calls_;
  std::shared_ptr<std::atomic<bool>> fail_moves_;
};

}  // namespace guildhall::test_support
