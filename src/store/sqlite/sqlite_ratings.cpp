// sqlite_backend's rating_store (ratings and leaderboards) and notification_store.
#include "store/sqlite/backend_statements.hpp"

namespace guildhall::store::sqlite {
namespace {

constexpr std::string_view kRatingColumns =
    "r.user_id, u.username, r.game, r.rating, r.deviation, r.volatility, r.games, r.wins, r.losses, r.draws, "
    "r.updated_at_ms";

std::string rating_query(std::string_view tail) {
  return "SELECT " + std::string(kRatingColumns) + " FROM ratings r JOIN users u ON u.id = r.user_id " +
         std::string(tail);
}

rating_record read_rating_row(const statement& row) {
  rating_record rating;
  rating.user_id = static_cast<std::uint64_t>(row.column_int(0));
  rating.username = row.column_text(1);
  rating.game = row.column_text(2);
  rating.rating = row.column_double(3);
  rating.deviation = row.column_double(4);
  rating.volatility = row.column_double(5);
  rating.games = static_cast<std::uint32_t>(row.column_int(6));
  rating.wins = static_cast<std::uint32_t>(row.column_int(7));
  rating.losses = static_cast<std::uint32_t>(row.column_int(8));
  rating.draws = static_cast<std::uint32_t>(row.column_int(9));
  rating.updated_at_ms = row.column_int(10);
  return rating;
}

}  // namespace

sqlite_backend::rating_statements::rating_statements(sqlite3* db)
    : insert_notification(db, "INSERT INTO notifications (user_id, kind, match_id, game, text, created_at_ms) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      notifications_of(db, "SELECT id, kind, match_id, game, text, created_at_ms FROM notifications "
                           "WHERE user_id = ?1 ORDER BY id LIMIT ?2"),
      delete_notification(db, "DELETE FROM notifications WHERE id = ?1 AND user_id = ?2"),
      rating_of(db, rating_query("WHERE r.user_id = ?1 AND r.game = ?2")),
      upsert_rating(db, "INSERT INTO ratings (user_id, game, rating, deviation, volatility, games, wins, losses, draws, "
                        "updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                        "ON CONFLICT (user_id, game) DO UPDATE SET rating = ?3, deviation = ?4, volatility = ?5, "
                        "games = ?6, wins = ?7, losses = ?8, draws = ?9, updated_at_ms = ?10"),
      board_page(db, rating_query("WHERE r.game = ?1 ORDER BY r.rating DESC, r.user_id LIMIT ?3 OFFSET ?2")),
      rank_of(db, "SELECT 1 + (SELECT COUNT(*) FROM ratings o WHERE o.game = r.game AND (o.rating > r.rating OR "
                  "(o.rating = r.rating AND o.user_id < r.user_id))) FROM ratings r WHERE r.user_id = ?1 AND "
                  "r.game = ?2") {}

result<std::uint64_t> sqlite_backend::add_notification(const notification_record& notification) {
  auto& insert = rating_sql_->insert_notification;
  insert.bind(1, notification.user_id)
      .bind(2, std::int64_t{notification.kind})
      .bind(3, notification.match_id)
      .bind(4, notification.game)
      .bind(5, notification.text)
      .bind(6, notification.created_at_ms);
  if (auto stored = insert.run(db_.get(), "store notification"); !stored) return std::unexpected(stored.error());
  return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.get()));
}

result<std::vector<notification_record>> sqlite_backend::pending_notifications(std::uint64_t user_id,
                                                                               std::uint32_t limit) {
  std::vector<notification_record> pending;
  auto& query = rating_sql_->notifications_of;
  query.bind(1, user_id).bind(2, std::int64_t{limit});
  auto read = query.for_each_row(db_.get(), "read notifications", [&](const statement& row) {
    pending.push_back(notification_record{static_cast<std::uint64_t>(row.column_int(0)), user_id,
                                          static_cast<int>(row.column_int(1)),
                                          static_cast<std::uint64_t>(row.column_int(2)), row.column_text(3),
                                          row.column_text(4), row.column_int(5)});
  });
  if (!read) return std::unexpected(read.error());
  return pending;
}

result<std::uint32_t> sqlite_backend::delete_notifications(std::uint64_t user_id, std::span<const std::uint64_t> ids) {
  std::uint32_t deleted = 0;
  auto outcome = in_savepoint([&]() -> result<void> {
    auto& erase = rating_sql_->delete_notification;
    for (const auto id : ids) {
      erase.bind(1, id).bind(2, user_id);
      if (auto gone = erase.run(db_.get(), "delete notification"); !gone) return gone;
      deleted += static_cast<std::uint32_t>(sqlite3_changes(db_.get()));
    }
    return {};
  });
  if (!outcome) return std::unexpected(outcome.error());
  return deleted;
}

result<rating_record> sqlite_backend::find_rating(std::uint64_t user_id, std::string_view game) {
  auto& query = rating_sql_->rating_of;
  query.bind(1, user_id).bind(2, game);
  auto found = query.first_row(db_.get(), "read rating");
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(errc::not_found, "no rating yet");
  auto rating = read_rating_row(query);
  query.reset();
  return rating;
}

result<void> sqlite_backend::save_rating(const rating_record& rating) {
  auto& upsert = rating_sql_->upsert_rating;
  upsert.bind(1, rating.user_id)
      .bind(2, rating.game)
      .bind(3, rating.rating)
      .bind(4, rating.deviation)
      .bind(5, rating.volatility)
      .bind(6, std::int64_t{rating.games})
      .bind(7, std::int64_t{rating.wins})
      .bind(8, std::int64_t{rating.losses})
      .bind(9, std::int64_t{rating.draws})
      .bind(10, rating.updated_at_ms);
  return upsert.run(db_.get(), "save rating");
}

result<std::vector<rating_record>> sqlite_backend::leaderboard(std::string_view game, std::uint32_t offset,
                                                               std::uint32_t limit) {
  auto& query = rating_sql_->board_page;
  query.bind(1, game).bind(2, std::int64_t{offset}).bind(3, std::int64_t{limit});
  std::vector<rating_record> rows;
  auto read = query.for_each_row(db_.get(), "read leaderboard",
                                 [&](const statement& row) { rows.push_back(read_rating_row(row)); });
  if (!read) return std::unexpected(read.error());
  return rows;
}

result<std::uint32_t> sqlite_backend::leaderboard_rank(std::uint64_t user_id, std::string_view game) {
  auto& query = rating_sql_->rank_of;
  query.bind(1, user_id).bind(2, game);
  auto found = query.first_row(db_.get(), "read rank");
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(errc::not_found, "unrated");
  const auto rank = static_cast<std::uint32_t>(query.column_int(0));
  query.reset();
  return rank;
}

}  // namespace guildhall::store::sqlite
