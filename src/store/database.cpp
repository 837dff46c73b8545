#include "store/database.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <string_view>

#include "base/refusals.hpp"

namespace guildhall::store {

result<std::unique_ptr<database>> database::open(const backend_factory& open_backend, unsigned readers,
                                                database_limits limits) {
  std::unique_ptr<database> db(new database());
  auto writer = open_backend();
  if (!writer) return std::unexpected(writer.error());
  db->writer_backend_ = std::move(*writer);
  db->writer_backend_->defer_checkpoints();
  auto checkpoint_backend = open_backend();
  if (!checkpoint_backend) return std::unexpected(checkpoint_backend.error());
  db->checkpoint_backend_ = std::move(*checkpoint_backend);
  for (unsigned i = 0; i < std::max(1u, readers); ++i) {
    auto reader = open_backend();
    if (!reader) return std::unexpected(reader.error());
    db->reader_backends_.push_back(std::move(*reader));
  }
  db->checkpointer_ = std::make_unique<work_queue<backend_work>>([raw = db.get()](std::deque<backend_work>& batch) {
    for (auto& work : batch) work(*raw->checkpoint_backend_);
    database_metrics().queue_depth.add(series(db_queue::checkpoint), -static_cast<std::int64_t>(batch.size()));
  });
  db->writer_ = std::make_unique<work_queue<write_task>>([raw = db.get()](auto& batch) { raw->run_writes(batch); },
                                                        limits.max_queued_writes);
  for (auto& reader : db->reader_backends_) {
    db->readers_.push_back(std::make_unique<work_queue<backend_work>>(
        [&reader](std::deque<backend_work>& batch) {
          for (auto& work : batch) work(*reader);
          database_metrics().queue_depth.add(series(db_queue::readers), -static_cast<std::int64_t>(batch.size()));
        },
        limits.max_queued_reads));
  }
  return db;
}

database::~database() { stop(); }

namespace {

constexpr std::string_view kStopped = "the database is shutting down";

void report_dropped(std::string_view what) {
  // Work without a callback cannot be told; after stop only a bug (a task that outlived its service) sends any.
  spdlog::warn("{}: a {} arrived after stop and was dropped", kStopped, what);
}

}  // namespace

result<void> database::admit_read() const {
  // Reads go round-robin, so the readers fill together: refuse only when none has room.
  if (std::ranges::all_of(readers_, [](const auto& reader) { return reader->full(); })) {
    count_refusal(refusal_reason::unavailable);
    return std::unexpected(error{errc::unavailable, "the database is busy: try again shortly", kRetryAfterMs});
  }
  return {};
}

result<void> database::admit_write() const {
  if (writer_->full()) {
    count_refusal(refusal_reason::unavailable);
    return std::unexpected(error{errc::unavailable, "the database is busy: try again shortly", kRetryAfterMs});
  }
  return {};
}

void database::write(backend_work work) {
  if (!writer_->push(std::move(work))) return report_dropped("write");
  database_metrics().queue_depth.add(series(db_queue::writer), +1);
}

void database::read(backend_work work) {
  const unsigned index = next_reader_.fetch_add(1, std::memory_order_relaxed) % readers_.size();
  if (!readers_[index]->push(std::move(work))) return report_dropped("read");
  database_metrics().queue_depth.add(series(db_queue::readers), +1);
}

void database::append_messages(std::vector<chat_record> records, append_done done) {
  write_task task = append_task{std::move(records), std::move(done)};
  if (!writer_->push(std::move(task))) {
    return std::get<append_task>(task).done(fail(errc::internal, std::string(kStopped)));
  }
  database_metrics().queue_depth.add(series(db_queue::writer), +1);
}

void database::write_grouped(grouped_work work, write_done done) {
  write_task task = grouped_task{std::move(work), std::move(done)};
  if (!writer_->push(std::move(task))) {
    return std::get<grouped_task>(task).done(fail(errc::internal, std::string(kStopped)));
  }
  database_metrics().queue_depth.add(series(db_queue::writer), +1);
}

// Order is kept: a batch of one kind commits before the task of another kind that followed it in the queue.
void database::run_writes(std::deque<write_task>& batch) {
  std::vector<append_task> appends;
  std::vector<grouped_task> grouped;
  for (auto& task : batch) {
    if (auto* append = std::get_if<append_task>(&task)) {
      commit_grouped(grouped);
      appends.push_back(std::move(*append));
    } else if (auto* group = std::get_if<grouped_task>(&task)) {
      commit_appends(appends);
      grouped.push_back(std::move(*group));
    } else {
      commit_appends(appends);
      commit_grouped(grouped);
      std::get<backend_work>(task)(*writer_backend_);
    }
  }
  commit_appends(appends);
  commit_grouped(grouped);
  database_metrics().queue_depth.add(series(db_queue::writer), -static_cast<std::int64_t>(batch.size()));
  keep_log_short();
}

void database::keep_log_short() {
  const std::uint32_t pages = writer_backend_->log_pages();
  if (pages >= kWriterCheckpointPages) {
    (void)writer_backend_->checkpoint();
  } else if (pages >= kCheckpointPages && !checkpoint_queued_.exchange(true)) {
    database_metrics().queue_depth.add(series(db_queue::checkpoint), +1);
    // A failed checkpoint loses nothing: the log stays longer, and the next commit asks again.
    checkpointer_->push([this](backend& connection) {
      (void)connection.checkpoint();
      checkpoint_queued_ = false;
    });
  }
}

void database::commit_grouped(std::vector<grouped_task>& pending) {
  if (pending.empty()) return;
  const auto started = std::chrono::steady_clock::now();
  result<void> commit_outcome;
  std::vector<result<void>> outcomes;
  outcomes.reserve(pending.size());
  if (auto began = writer_backend_->begin_transaction(); !began) {
    commit_outcome = began;
    outcomes.assign(pending.size(), began);
  } else {
    for (auto& task : pending) {
      outcomes.push_back(writer_backend_->atomically([&] { return task.work(*writer_backend_); }));
      if (!outcomes.back()) spdlog::error("store: a grouped write failed: {}", outcomes.back().error().message);
    }
    if (auto committed = writer_backend_->commit_transaction(); !committed) {
      writer_backend_->rollback_transaction();
      commit_outcome = committed;
      outcomes.assign(pending.size(), committed);
    }
  }
  note_commit(commit_kind::grouped, started, commit_outcome, pending.size());
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i].done(outcomes[i]);
  pending.clear();
}

void database::commit_appends(std::vector<append_task>& pending) {
  if (pending.empty()) return;
  std::vector<chat_record> records;
  for (auto& task : pending) std::ranges::move(task.records, std::back_inserter(records));
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = writer_backend_->append_messages(records);
  note_commit(commit_kind::chat, started, outcome, records.size());
  for (auto& task : pending) task.done(outcome);
  pending.clear();
}

void database::note_commit(commit_kind kind, std::chrono::steady_clock::time_point started,
                           const result<void>& outcome, std::size_t items) {
  using namespace std::chrono;
  const auto took_us = duration_cast<microseconds>(steady_clock::now() - started).count();
  auto& made = database_metrics();
  made.commit_seconds.observe(series(kind), static_cast<std::uint64_t>(took_us));
  const char* what = kind == commit_kind::chat ? "chat batch" : "grouped write";
  if (!outcome) {
    made.commit_failures.add(series(kind));
    spdlog::error("store: {} of {} items failed: {}", what, items, outcome.error().message);
    return;
  }
  const std::uint32_t slow_ms = slow_commit_ms_.load(std::memory_order_relaxed);
  if (slow_ms != 0 && took_us >= std::int64_t{slow_ms} * 1000) {
    spdlog::warn("store: slow commit: {} of {} items took {:.1f} ms (slow_commit_ms={})", what, items,
                 static_cast<double>(took_us) / 1000.0, slow_ms);
  }
}

void database::stop_reads() {
  for (auto& reader : readers_) reader->stop();
}

void database::stop() {
  // In dependency order: a lookup may end in a write (a guest account created after its device was looked up),
  // and a commit may ask for a checkpoint. Each queue runs what it accepted before the one it feeds stops.
  stop_reads();
  if (writer_) writer_->stop();
  if (checkpointer_) checkpointer_->stop();
}

}  // namespace guildhall::store
