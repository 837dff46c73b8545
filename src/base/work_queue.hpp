#pragma once
// A named worker thread with a FIFO of tasks, for work that must not run on a shard: database calls and
// password hashing. `drain_batch` lets a worker take every waiting task at once (group commit).
// A capacity bounds what strangers can queue: callers check `full` and refuse a request before it changes
// anything (an estimate under races, off by the few pushes in flight). Below the capacity `push` always queues:
// work already admitted is never dropped.
// Once `stop` is called the queue refuses new work: `push` returns false and leaves the task with the caller,
// who can still complete it with an error. Whoever stops queues stops them in dependency order: a queue whose
// tasks push into another stops first, so that nothing is accepted and then never run.
// Thread-safety: `push`, `full` and `waiting` from any thread; the worker function runs on the worker thread only.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace guildhall {

template <typename Task>
class work_queue {
 public:
  // `run_batch` gets every task that was waiting when the worker woke, in order.
  // `capacity`: waiting tasks at which the queue is full (0: never full).
  explicit work_queue(std::function<void(std::deque<Task>&)> run_batch, std::size_t capacity = 0)
      : run_batch_(std::move(run_batch)), capacity_(capacity) {
    worker_ = std::thread([this] { loop(); });
  }
  ~work_queue() { stop(); }
  work_queue(const work_queue&) = delete;
  work_queue& operator=(const work_queue&) = delete;

  // Queues `task` and returns true, or returns false (and leaves `task` untouched) once `stop` has been called.
  bool push(Task&& task) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
      tasks_.push_back(std::move(task));
      waiting_.store(tasks_.size(), std::memory_order_relaxed);
    }
    wake_.notify_one();
    return true;
  }

  // Tasks waiting (not counting the batch being run); a snapshot, for admission and metrics.
  std::size_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  bool full() const { return capacity_ != 0 && waiting() >= capacity_; }
  std::size_t capacity() const { return capacity_; }

  // Refuses new work, runs what was queued before, then joins the worker.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
  }

 private:
  void loop() {
    std::deque<Task> batch;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;  // stopping and nothing left
        batch.swap(tasks_);
        waiting_.store(0, std::memory_order_relaxed);
      }
      run_batch_(batch);
      batch.clear();
    }
  }

  std::function<void(std::deque<Task>&)> run_batch_;
  const std::size_t capacity_;
  std::atomic<std::size_t> waiting_{0};  // tasks_.size(), readable without the lock
  std::mutex mutex_;  // guards tasks_ and stopping_; held only to push or swap, never while running tasks
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace guildhall
