#include "store/sqlite/migrations.hpp"

#include <array>
#include <string_view>

namespace guildhall::store::sqlite {
namespace {

struct migration {
  int version;
  std::string_view sql;
};

// Append only: a released migration never changes; a schema change is a new entry.
constexpr std::array kMigrations = {
    migration{1, R"sql(
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,  -- lower-cased: names are unique ignoring case
        password_hash TEXT NOT NULL DEFAULT '',
        device_id TEXT UNIQUE,              -- guests only
        created_at_ms INTEGER NOT NULL
      );
      CREATE TABLE channel_messages (
        id INTEGER PRIMARY KEY,             -- time-ordered id from the channel's shard
        channel TEXT NOT NULL,
        from_user_id INTEGER NOT NULL,
        from_username TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at_ms INTEGER NOT NULL
      );
      CREATE INDEX channel_messages_by_channel ON channel_messages (channel, id);
      CREATE TABLE direct_messages (
        id INTEGER PRIMARY KEY,
        low_user_id INTEGER NOT NULL,       -- the pair, ordered, so one index serves both directions
        high_user_id INTEGER NOT NULL,
        from_user_id INTEGER NOT NULL,
        from_username TEXT NOT NULL,
        to_user_id INTEGER NOT NULL,
        to_username TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at_ms INTEGER NOT NULL
      );
      CREATE INDEX direct_messages_by_pair ON direct_messages (low_user_id, high_user_id, id);
    )sql"},
    migration{2, R"sql(
      CREATE TABLE matches (
        id INTEGER PRIMARY KEY,             -- time-ordered id from the creating shard
        game TEXT NOT NULL,
        status INTEGER NOT NULL,            -- 1 open, 2 active, 3 finished, 4 aborted
        options TEXT NOT NULL,              -- key=value lines
        state TEXT NOT NULL,                -- the game's own serialization
        ply INTEGER NOT NULL,
        to_move INTEGER NOT NULL,
        initial_ms INTEGER NOT NULL,
        increment_ms INTEGER NOT NULL,
        clock_ms TEXT NOT NULL,             -- per seat, comma-separated, as of turn_started_at_ms
        turn_started_at_ms INTEGER NOT NULL,
        rated INTEGER NOT NULL,
        winner INTEGER NOT NULL,
        result_reason TEXT NOT NULL,
        draw_offered_by INTEGER NOT NULL,
        bot_skill_level INTEGER NOT NULL,
        bot_move_time_ms INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE INDEX matches_live ON matches (status) WHERE status IN (1, 2);
      CREATE TABLE match_seats (
        match_id INTEGER NOT NULL,
        seat INTEGER NOT NULL,
        user_id INTEGER NOT NULL,           -- 0 while the seat is free
        username TEXT NOT NULL,
        bot INTEGER NOT NULL,
        rating INTEGER NOT NULL,
        invited TEXT NOT NULL,              -- usernames, one per line
        PRIMARY KEY (match_id, seat)
      ) WITHOUT ROWID;
      CREATE INDEX match_seats_by_user ON match_seats (user_id, match_id);
      CREATE TABLE match_moves (
        match_id INTEGER NOT NULL,
        ply INTEGER NOT NULL,               -- the key makes a second move for the same ply impossible
        seat INTEGER NOT NULL,
        move TEXT NOT NULL,
        display TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        clock_ms INTEGER NOT NULL,
        PRIMARY KEY (match_id, ply)
      ) WITHOUT ROWID;
      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        match_id INTEGER NOT NULL,
        game TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX notifications_by_user ON notifications (user_id, id);
      CREATE TABLE ratings (
        user_id INTEGER NOT NULL,
        game TEXT NOT NULL,
        rating REAL NOT NULL,
        deviation REAL NOT NULL,
        volatility REAL NOT NULL,
        games INTEGER NOT NULL,
        wins INTEGER NOT NULL,
        losses INTEGER NOT NULL,
        draws INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (user_id, game)
      ) WITHOUT ROWID;
      CREATE INDEX ratings_board ON ratings (game, rating DESC, user_id);
    )sql"},
    migration{3, R"sql(
      CREATE TABLE refresh_tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash TEXT NOT NULL UNIQUE,    -- BLAKE2b of the token, hex: a stolen database holds no usable token
        family_id INTEGER NOT NULL,         -- id of the family's first token (the login it descends from)
        user_id INTEGER NOT NULL,
        state INTEGER NOT NULL,             -- 0 live, 1 rotated (used once), 2 revoked
        expires_at_ms INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at_ms);
    )sql"},
    migration{4, R"sql(
      -- When a token was rotated (Unix ms; 0 while live): a second use soon after is a lost answer being
      -- retried, not a theft (see auth.refresh_reuse_grace_ms).
      ALTER TABLE refresh_tokens ADD COLUMN rotated_at_ms INTEGER NOT NULL DEFAULT 0;
    )sql"},
};

}  // namespace

int latest_schema_version() { return kMigrations.back().version; }

result<void> migrate(connection_handle& db) {
  if (auto created = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                             "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
      !created) {
    return created;
  }
  int current = 0;
  {
    statement query(db.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (query.step() == SQLITE_ROW) current = static_cast<int>(query.column_int(0));
  }
  if (current > latest_schema_version()) {
    return fail(errc::internal, "database schema version " + std::to_string(current) +
                                    " is newer than this build knows (" + std::to_string(latest_schema_version()) + ")");
  }
  for (const auto& step : kMigrations) {
    if (step.version <= current) continue;
    std::string script = "BEGIN IMMEDIATE;";
    script += step.sql;
    script += "INSERT INTO schema_migrations VALUES (" + std::to_string(step.version) + ", unixepoch());COMMIT;";
    if (auto applied = db.exec(script); !applied) {
      (void)db.exec("ROLLBACK");
      return fail(errc::internal, "migration " + std::to_string(step.version) + " failed: " + applied.error().message);
    }
  }
  return {};
}

}  // namespace guildhall::store::sqlite
