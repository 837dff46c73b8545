#pragma once
// A named worker thread with a FIFO of tasks, for work that must not run on a shard: database calls and
// password hashing. `drain_batch` lets a worker take every waiting task at once (group commit).
// Once `stop` is called the queue refuses new work: `push` returns false and leaves the task with the caller,
// who can still complete it with an error. Whoever stops queues stops them in dependency order: a queue whose
// tasks push into another stops first, so that nothing is accepted and then never run.
// Thread-safety: `push` from any thread; the worker function runs on the worker thread only.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace guildhall {

template <typename Task>
class work_queue {
 public:
  // `run_batch` gets every task that was waiting when the worker woke, in order.
  explicit work_queue(std::function<void(std::deque<Task>&)> run_batch) : run_batch_(std::move(run_batch)) {
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
    }
    wake_.notify_one();
    return true;
  }

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
      }
      run_batch_(batch);
      batch.clear();
    }
  }

  std::function<void(std::deque<Task>&)> run_batch_;
  std::mutex mutex_;  // guards tasks_ and stopping_; held only to push or swap, never while running tasks
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace guildhall
