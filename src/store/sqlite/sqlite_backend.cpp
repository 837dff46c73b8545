#include "store/sqlite/sqlite_backend.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "store/sqlite/backend_statements.hpp"
#include "store/sqlite/migrations.hpp"

namespace guildhall::store::sqlite {
namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::uint64_t cursor_or_max(std::uint64_t before_id) {
  return before_id == 0 ? static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) : before_id;
}

}  // namespace

result<std::unique_ptr<sqlite_backend>> sqlite_backend::open(const sqlite_options& options) {
  auto db = connection_handle::open(options.path);
  if (!db) return std::unexpected(db.error());
  sqlite3_busy_timeout(db->get(), options.busy_timeout_ms);
  const std::string pragmas[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=" + options.synchronous};
  for (const auto& pragma : pragmas) {
    if (auto done = db->exec(pragma); !done) return std::unexpected(done.error());
  }
  if (auto migrated = migrate(*db); !migrated) return std::unexpected(migrated.error());
  return std::unique_ptr<sqlite_backend>(new sqlite_backend(std::move(*db)));
}

sqlite_backend::sqlite_backend(connection_handle db)
    : db_(std::move(db)),
      sql_(std::make_unique<statements>(db_.get())),
      match_sql_(std::make_unique<match_statements>(db_.get())),
      rating_sql_(std::make_unique<rating_statements>(db_.get())),
      session_sql_(std::make_unique<session_statements>(db_.get())) {}

sqlite_backend::~sqlite_backend() = default;

result<user_record> sqlite_backend::create_user(std::string_view username, std::string_view password_hash,
                                                std::string_view device_id, std::int64_t now_ms) {
  auto& insert = sql_->insert_user;
  insert.bind(1, username).bind(2, lowered(username)).bind(3, password_hash).bind(4, device_id).bind(5, now_ms);
  const int rc = insert.step();
  const std::string failure = rc == SQLITE_DONE ? std::string() : db_.last_error();
  insert.reset();
  if (rc == SQLITE_CONSTRAINT) {
    const bool device = failure.find("device_id") != std::string::npos;
    return fail(errc::conflict, device ? "this device already has an account"
                                       : "username '" + std::string(username) + "' is taken");
  }
  if (rc != SQLITE_DONE) return fail(errc::internal, "create user: " + failure);
  return user_record{static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.get())), std::string(username),
                     std::string(password_hash), std::string(device_id), now_ms};
}

result<user_record> sqlite_backend::find_user(statement& query) {
  auto found = query.first_row(db_.get(), "find user");
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(errc::not_found, "no such user");
  user_record user{static_cast<std::uint64_t>(query.column_int(0)), query.column_text(1), query.column_text(2),
                   query.column_text(3), query.column_int(4)};
  query.reset();
  return user;
}

result<user_record> sqlite_backend::find_user_by_name(std::string_view username) {
  sql_->user_by_name.bind(1, lowered(username));
  return find_user(sql_->user_by_name);
}

result<user_record> sqlite_backend::find_user_by_id(std::uint64_t id) {
  sql_->user_by_id.bind(1, id);
  return find_user(sql_->user_by_id);
}

result<user_record> sqlite_backend::find_user_by_device(std::string_view device_id) {
  sql_->user_by_device.bind(1, device_id);
  return find_user(sql_->user_by_device);
}

result<void> sqlite_backend::append_messages(std::span<const chat_record> records) {
  if (records.empty()) return {};
  if (auto began = begin_transaction(); !began) return began;
  for (const auto& record : records) {
    result<void> stored;
    if (record.channel.empty()) {
      auto& insert = sql_->insert_direct_message;
      insert.bind(1, record.id)
          .bind(2, std::min(record.from_user_id, record.to_user_id))
          .bind(3, std::max(record.from_user_id, record.to_user_id))
          .bind(4, record.from_user_id)
          .bind(5, record.from_username)
          .bind(6, record.to_user_id)
          .bind(7, record.to_username)
          .bind(8, record.text)
          .bind(9, record.sent_at_ms);
      stored = insert.run(db_.get(), "append message");
    } else {
      auto& insert = sql_->insert_channel_message;
      insert.bind(1, record.id)
          .bind(2, record.channel)
          .bind(3, record.from_user_id)
          .bind(4, record.from_username)
          .bind(5, record.text)
          .bind(6, record.sent_at_ms);
      stored = insert.run(db_.get(), "append message");
    }
    if (!stored) {
      rollback_transaction();
      return stored;
    }
  }
  if (auto committed = commit_transaction(); !committed) {
    rollback_transaction();
    return committed;
  }
  return {};
}

result<void> sqlite_backend::begin_transaction() { return sql_->begin.run(db_.get(), "begin"); }

result<void> sqlite_backend::commit_transaction() { return sql_->commit.run(db_.get(), "commit"); }

void sqlite_backend::rollback_transaction() { (void)sql_->rollback.run(db_.get(), "rollback"); }

result<void> sqlite_backend::atomically(const std::function<result<void>()>& work) { return in_savepoint(work); }

void sqlite_backend::defer_checkpoints() {
  // A WAL hook of our own replaces SQLite's automatic checkpoint, which would run inside this connection's
  // commits; the hook only records how long the log has grown.
  sqlite3_wal_hook(
      db_.get(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<sqlite_backend*>(self)->log_pages_ = static_cast<std::uint32_t>(std::max(pages, 0));
        return SQLITE_OK;
      },
      this);
}

result<void> sqlite_backend::ping() {
  statement query(db_.get(), "SELECT 1");
  if (query.step() != SQLITE_ROW) return fail(errc::internal, "SELECT 1: " + db_.last_error());
  return {};
}

result<void> sqlite_backend::checkpoint() {
  // PASSIVE copies the frames no reader still needs and never waits for, or blocks, the writer. BUSY means
  // another checkpoint is running, which does the same work.
  const int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return fail(errc::internal, "checkpoint: " + db_.last_error());
  return {};
}

result<std::vector<chat_record>> sqlite_backend::channel_history(std::string_view channel, std::uint64_t before_id,
                                                                 std::uint32_t limit) {
  auto& page = sql_->channel_page;
  page.bind(1, channel).bind(2, cursor_or_max(before_id)).bind(3, std::int64_t{limit});
  std::vector<chat_record> records;
  auto read = page.for_each_row(db_.get(), "channel history", [&](const statement& row) {
    chat_record record;
    record.id = static_cast<std::uint64_t>(row.column_int(0));
    record.channel = std::string(channel);
    record.from_user_id = static_cast<std::uint64_t>(row.column_int(1));
    record.from_username = row.column_text(2);
    record.text = row.column_text(3);
    record.sent_at_ms = row.column_int(4);
    records.push_back(std::move(record));
  });
  if (!read) return std::unexpected(read.error());
  return records;
}

result<std::vector<chat_record>> sqlite_backend::direct_history(std::uint64_t user_a, std::uint64_t user_b,
                                                                std::uint64_t before_id, std::uint32_t limit) {
  auto& page = sql_->direct_page;
  page.bind(1, std::min(user_a, user_b))
      .bind(2, std::max(user_a, user_b))
      .bind(3, cursor_or_max(before_id))
      .bind(4, std::int64_t{limit});
  std::vector<chat_record> records;
  auto read = page.for_each_row(db_.get(), "direct history", [&](const statement& row) {
    chat_record record;
    record.id = static_cast<std::uint64_t>(row.column_int(0));
    record.from_user_id = static_cast<std::uint64_t>(row.column_int(1));
    record.from_username = row.column_text(2);
    record.to_user_id = static_cast<std::uint64_t>(row.column_int(3));
    record.to_username = row.column_text(4);
    record.text = row.column_text(5);
    record.sent_at_ms = row.column_int(6);
    records.push_back(std::move(record));
  });
  if (!read) return std::unexpected(read.error());
  return records;
}

}  // namespace guildhall::store::sqlite
