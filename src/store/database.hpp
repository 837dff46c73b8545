#pragma once
// The asynchronous face of a backend: database work runs on its own threads, never on a shard. One writer
// thread (SQLite has one writer) with group commit: every chat message waiting when the writer wakes goes into
// one transaction, and so does every grouped write (moves) waiting. Reader threads serve history and lookups from
// their own connections. A checkpoint thread, with a connection of its own, keeps the write-ahead log short so
// that no commit has to.
// Callbacks run on the database thread: callers post back to their shard.
// Thread-safety: every member may be called from any thread.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <variant>
#include <vector>

#include "base/work_queue.hpp"
#include "store/store.hpp"
#include "store/store_metrics.hpp"

namespace guildhall::store {

using backend_factory = std::function<result<std::unique_ptr<backend>>()>;
using backend_work = std::move_only_function<void(backend&)>;
using append_done = std::move_only_function<void(const result<void>&)>;
using grouped_work = std::move_only_function<result<void>(backend&)>;
using write_done = std::move_only_function<void(const result<void>&)>;

// Bounds on what requests may queue for the database threads; past them a request is refused at once with
// UNAVAILABLE rather than queued without limit (every waiting task holds memory and adds to everyone's latency).
struct database_limits {
  std::size_t max_queued_reads = 1'000;   // per reader thread; a read takes well under a millisecond
  std::size_t max_queued_writes = 5'000;  // on the writer; group commit takes many per transaction
};

class database {
 public:
  // What a refused request is told to wait before trying again.
  static constexpr std::uint32_t kRetryAfterMs = 1'000;

  // The log length at which the checkpoint thread is asked to shorten it (SQLite's own default), and the length
  // at which the writer does it itself because the checkpoint thread cannot keep up (readers holding old
  // pages, or a disk slower than the write rate): a bound on the log's size.
  static constexpr std::uint32_t kCheckpointPages = 1'000;
  static constexpr std::uint32_t kWriterCheckpointPages = 20'000;

  // Opens one writer, `readers` reader connections and one checkpoint connection through `open_backend`.
  static result<std::unique_ptr<database>> open(const backend_factory& open_backend, unsigned readers = 1,
                                                database_limits limits = {});
  ~database();

  // Admission for a request about to read or write: UNAVAILABLE when the queues are at their bound. Call it
  // before changing anything; the read/write itself then always queues (admitted work is never dropped).
  result<void> admit_read() const;
  result<void> admit_write() const;

  void write(backend_work work);
  void read(backend_work work);
  // Durable once `done` reports success; all of `records` share one outcome.
  void append_messages(std::vector<chat_record> records, append_done done);
  // Joins the group commit: `work` runs inside the one transaction that every grouped write waiting with it
  // shares, so it must only use store writes (each atomic on its own). `done` gets the work's own outcome, or the
  // commit's failure; success means durable.
  void write_grouped(grouped_work work, write_done done);

  // A group commit slower than this is logged as a warning (0: never); commits are timed either way.
  void set_slow_commit_ms(std::uint32_t ms) { slow_commit_ms_.store(ms, std::memory_order_relaxed); }

  // Runs the lookups already queued; reads that arrive later are dropped (logged). What the lookups hand on
  // (writes, posts to shards) is queued before this returns. Part of stop; call it first to let the shards
  // handle what the last lookups posted before they stop.
  void stop_reads();
  // Stops the readers, then the writer, then the checkpoint thread, each after running what it had accepted.
  // Later work is refused: writes with a callback get an error, others are dropped (logged).
  void stop();

 private:
  struct append_task {
    std::vector<chat_record> records;
    append_done done;
  };
  struct grouped_task {
    grouped_work work;
    write_done done;
  };
  using write_task = std::variant<append_task, grouped_task, backend_work>;

  database() = default;
  void run_writes(std::deque<write_task>& batch);
  void commit_appends(std::vector<append_task>& pending);
  void commit_grouped(std::vector<grouped_task>& pending);
  void keep_log_short();
  // Times, counts and (when slow or failed) logs one group commit of `items` tasks.
  void note_commit(commit_kind kind, std::chrono::steady_clock::time_point started, const result<void>& outcome,
                   std::size_t items);

  std::unique_ptr<backend> writer_backend_;
  std::vector<std::unique_ptr<backend>> reader_backends_;
  std::unique_ptr<work_queue<write_task>> writer_;
  std::vector<std::unique_ptr<work_queue<backend_work>>> readers_;
  std::unique_ptr<backend> checkpoint_backend_;
  std::unique_ptr<work_queue<backend_work>> checkpointer_;
  std::atomic<bool> checkpoint_queued_{false};
  std::atomic<unsigned> next_reader_{0};
  std::atomic<std::uint32_t> slow_commit_ms_{100};
};

}  // namespace guildhall::store
