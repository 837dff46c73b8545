#pragma once
// A named worker thread with a FIFO of tasks, for work that must not run on a shard: database calls and
// password hashing. `drain_batch` lets a worker take every waiting task at once (group commit).
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

  void push(Task task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

  // Runs what is queued, then joins the worker.
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
