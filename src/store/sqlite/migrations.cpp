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
