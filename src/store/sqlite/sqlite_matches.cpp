// sqlite_backend's match_store: a row per match, a row per seat and a row per move.
#include <charconv>

#include "store/sqlite/backend_statements.hpp"

namespace guildhall::store::sqlite {
namespace {

constexpr std::string_view kMatchColumns =
    "id, game, status, options, state, ply, to_move, initial_ms, increment_ms, clock_ms, turn_started_at_ms, rated, "
    "winner, result_reason, draw_offered_by, bot_skill_level, bot_move_time_ms, created_at_ms, updated_at_ms";

std::string with_columns(std::string_view before, std::string_view after) {
  return std::string(before) + std::string(kMatchColumns) + std::string(after);
}

// Option keys and values are validated by the turn service (no '=' in keys, no newlines anywhere).
std::string encode_options(const match_record& match) {
  std::string out;
  for (const auto& [key, value] : match.options) out += key + "=" + value + "\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_options(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> options;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    if (const auto eq = line.find('='); eq != std::string_view::npos) {
      options.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return options;
}

std::string encode_clocks(const std::vector<std::int64_t>& clocks) {
  std::string out;
  for (std::size_t i = 0; i < clocks.size(); ++i) out += (i ? "," : "") + std::to_string(clocks[i]);
  return out;
}

std::vector<std::int64_t> decode_clocks(std::string_view text) {
  std::vector<std::int64_t> clocks;
  const char* at = text.data();
  const char* end = text.data() + text.size();
  while (at < end) {
    std::int64_t value = 0;
    auto parsed = std::from_chars(at, end, value);
    clocks.push_back(value);
    at = parsed.ptr < end ? parsed.ptr + 1 : end;
  }
  return clocks;
}

std::string join_lines(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += name + "\n";
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end != 0) lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

void bind_match(statement& query, const match_record& match) {
  query.bind(1, match.id)
      .bind(2, match.game)
      .bind(3, std::int64_t{static_cast<int>(match.status)})
      .bind(4, encode_options(match))
      .bind(5, match.state)
      .bind(6, std::int64_t{match.ply})
      .bind(7, std::int64_t{match.to_move})
      .bind(8, match.initial_ms)
      .bind(9, match.increment_ms)
      .bind(10, encode_clocks(match.clock_ms))
      .bind(11, match.turn_started_at_ms)
      .bind(12, std::int64_t{match.rated})
      .bind(13, std::int64_t{match.winner})
      .bind(14, match.result_reason)
      .bind(15, std::int64_t{match.draw_offered_by})
      .bind(16, std::int64_t{match.bot_skill_level})
      .bind(17, std::int64_t{match.bot_move_time_ms})
      .bind(18, match.created_at_ms)
      .bind(19, match.updated_at_ms);
}

match_record read_match_row(const statement& row) {
  match_record match;
  match.id = static_cast<std::uint64_t>(row.column_int(0));
  match.game = row.column_text(1);
  match.status = static_cast<match_status>(row.column_int(2));
  match.options = decode_options(row.column_text(3));
  match.state = row.column_text(4);
  match.ply = static_cast<std::uint32_t>(row.column_int(5));
  match.to_move = static_cast<int>(row.column_int(6));
  match.initial_ms = row.column_int(7);
  match.increment_ms = row.column_int(8);
  match.clock_ms = decode_clocks(row.column_text(9));
  match.turn_started_at_ms = row.column_int(10);
  match.rated = row.column_int(11) != 0;
  match.winner = static_cast<int>(row.column_int(12));
  match.result_reason = row.column_text(13);
  match.draw_offered_by = static_cast<int>(row.column_int(14));
  match.bot_skill_level = static_cast<int>(row.column_int(15));
  match.bot_move_time_ms = static_cast<int>(row.column_int(16));
  match.created_at_ms = row.column_int(17);
  match.updated_at_ms = row.column_int(18);
  return match;
}

}  // namespace

sqlite_backend::match_statements::match_statements(sqlite3* db)
    : savepoint(db, "SAVEPOINT store_write"),
      release(db, "RELEASE store_write"),
      rollback_to(db, "ROLLBACK TO store_write"),
      insert_match(db, with_columns("INSERT INTO matches (", ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                                             "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)")),
      update_match(db, "UPDATE matches SET game = ?2, status = ?3, options = ?4, state = ?5, ply = ?6, to_move = ?7, "
                       "initial_ms = ?8, increment_ms = ?9, clock_ms = ?10, turn_started_at_ms = ?11, rated = ?12, "
                       "winner = ?13, result_reason = ?14, draw_offered_by = ?15, bot_skill_level = ?16, "
                       "bot_move_time_ms = ?17, created_at_ms = ?18, updated_at_ms = ?19 WHERE id = ?1"),
      delete_seats(db, "DELETE FROM match_seats WHERE match_id = ?1"),
      insert_seat(db, "INSERT INTO match_seats (match_id, seat, user_id, username, bot, rating, invited) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      insert_move(db, "INSERT INTO match_moves (match_id, ply, seat, move, display, at_ms, clock_ms) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      match_by_id(db, with_columns("SELECT ", " FROM matches WHERE id = ?1")),
      live(db, with_columns("SELECT ", " FROM matches WHERE status IN (1, 2) ORDER BY id")),
      seats_of(db, "SELECT seat, user_id, username, bot, rating, invited FROM match_seats WHERE match_id = ?1 "
                   "ORDER BY seat"),
      moves_after(db, "SELECT ply, seat, move, display, at_ms, clock_ms FROM match_moves "
                      "WHERE match_id = ?1 AND ply > ?2 ORDER BY ply"),
      matches_of_user(db, with_columns("SELECT ", " FROM matches WHERE id IN (SELECT match_id FROM match_seats "
                                                  "WHERE user_id = ?1) AND (?2 OR status IN (1, 2)) "
                                                  "ORDER BY id DESC LIMIT ?3")),
      live_count_of_user(db, "SELECT COUNT(*) FROM match_seats s JOIN matches m ON m.id = s.match_id "
                             "WHERE s.user_id = ?1 AND m.status IN (1, 2)") {}

result<void> sqlite_backend::write_seats(const match_record& match) {
  auto& sql = *match_sql_;
  sql.delete_seats.bind(1, match.id);
  if (auto cleared = sql.delete_seats.run(db_.get(), "clear seats"); !cleared) return cleared;
  for (std::size_t seat = 0; seat < match.seats.size(); ++seat) {
    const auto& player = match.seats[seat];
    sql.insert_seat.bind(1, match.id)
        .bind(2, std::int64_t{static_cast<std::int64_t>(seat)})
        .bind(3, player.user_id)
        .bind(4, player.username)
        .bind(5, std::int64_t{player.bot})
        .bind(6, std::int64_t{player.rating})
        .bind(7, join_lines(player.invited));
    if (auto stored = sql.insert_seat.run(db_.get(), "store seat"); !stored) return stored;
  }
  return {};
}

result<void> sqlite_backend::insert_match(const match_record& match) {
  return in_savepoint([&]() -> result<void> {
    bind_match(match_sql_->insert_match, match);
    if (auto stored = match_sql_->insert_match.run(db_.get(), "insert match"); !stored) return stored;
    return write_seats(match);
  });
}

result<void> sqlite_backend::update_match(const match_record& match) {
  return in_savepoint([&]() -> result<void> {
    bind_match(match_sql_->update_match, match);
    if (auto stored = match_sql_->update_match.run(db_.get(), "update match"); !stored) return stored;
    if (sqlite3_changes(db_.get()) != 1) return fail(errc::not_found, "no match " + std::to_string(match.id));
    return write_seats(match);
  });
}

result<void> sqlite_backend::record_move(const match_record& after, const move_record& move) {
  return in_savepoint([&]() -> result<void> {
    auto& insert = match_sql_->insert_move;
    insert.bind(1, move.match_id)
        .bind(2, std::int64_t{move.ply})
        .bind(3, std::int64_t{move.seat})
        .bind(4, move.move)
        .bind(5, move.display)
        .bind(6, move.at_ms)
        .bind(7, move.clock_ms);
    if (auto stored = insert.run(db_.get(), "insert move"); !stored) return stored;
    bind_match(match_sql_->update_match, after);
    return match_sql_->update_match.run(db_.get(), "update match");
  });
}

result<std::vector<match_record>> sqlite_backend::read_matches(statement& query) {
  std::vector<match_record> matches;
  auto read = query.for_each_row(db_.get(), "read matches",
                                 [&](const statement& row) { matches.push_back(read_match_row(row)); });
  if (!read) return std::unexpected(read.error());

  auto& seats = match_sql_->seats_of;
  for (auto& match : matches) {
    seats.bind(1, match.id);
    read = seats.for_each_row(db_.get(), "read seats", [&](const statement& row) {
      const auto seat = static_cast<std::size_t>(row.column_int(0));
      if (seat >= match.seats.size()) match.seats.resize(seat + 1);
      auto& player = match.seats[seat];
      player.user_id = static_cast<std::uint64_t>(row.column_int(1));
      player.username = row.column_text(2);
      player.bot = row.column_int(3) != 0;
      player.rating = static_cast<int>(row.column_int(4));
      player.invited = split_lines(row.column_text(5));
    });
    if (!read) return std::unexpected(read.error());
  }
  return matches;
}

result<match_record> sqlite_backend::find_match(std::uint64_t match_id) {
  match_sql_->match_by_id.bind(1, match_id);
  auto found = read_matches(match_sql_->match_by_id);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return fail(errc::not_found, "no match " + std::to_string(match_id));
  return std::move(found->front());
}

result<std::vector<match_record>> sqlite_backend::live_matches() { return read_matches(match_sql_->live); }

result<std::uint32_t> sqlite_backend::live_match_count(std::uint64_t user_id) {
  auto& query = match_sql_->live_count_of_user;
  query.bind(1, user_id);
  std::uint32_t count = 0;
  auto read = query.for_each_row(db_.get(), "count matches",
                                 [&](const statement& row) { count = static_cast<std::uint32_t>(row.column_int(0)); });
  if (!read) return std::unexpected(read.error());
  return count;
}

result<std::vector<match_record>> sqlite_backend::user_matches(std::uint64_t user_id, bool include_finished,
                                                               std::uint32_t limit) {
  match_sql_->matches_of_user.bind(1, user_id).bind(2, std::int64_t{include_finished}).bind(3, std::int64_t{limit});
  return read_matches(match_sql_->matches_of_user);
}

result<std::vector<move_record>> sqlite_backend::match_moves(std::uint64_t match_id, std::uint32_t after_ply) {
  auto& query = match_sql_->moves_after;
  query.bind(1, match_id).bind(2, std::int64_t{after_ply});
  std::vector<move_record> moves;
  auto read = query.for_each_row(db_.get(), "read moves", [&](const statement& row) {
    moves.push_back(move_record{match_id, static_cast<std::uint32_t>(row.column_int(0)),
                                static_cast<int>(row.column_int(1)), row.column_text(2), row.column_text(3),
                                row.column_int(4), row.column_int(5)});
  });
  if (!read) return std::unexpected(read.error());
  return moves;
}

}  // namespace guildhall::store::sqlite
