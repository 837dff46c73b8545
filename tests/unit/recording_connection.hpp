#pragma once
// A connection for the service unit tests: it keeps every envelope it is sent (binary format), and the test thread
// waits for the one it wants. Thread-safety: send() from any shard, next() from the test thread.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "net/connection.hpp"
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::services {

class recording_connection final : public net::connection {
 public:
  explicit recording_connection(std::uint64_t id, unsigned shard = 0) : connection(id, shard) {}
  wire::payload_format format() const override { return wire::payload_format::binary; }
  net::send_status send(wire::shared_message message) override {
    wire::v1::Envelope envelope;
    envelope.ParseFromString(message->binary);
    {
      std::lock_guard lock(mutex_);
      received_.push_back(std::move(envelope));
    }
    arrived_.notify_all();
    return net::send_status::queued;
  }
  void close(wire::close_code, std::string_view) override {}
  void mark_authenticated() override {}

  // The next envelope for which `wanted` holds, skipping others; nullopt after `timeout`.
  template <typename Predicate>
  std::optional<wire::v1::Envelope> next(Predicate wanted,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      while (!received_.empty()) {
        auto envelope = std::move(received_.front());
        received_.pop_front();
        if (wanted(envelope)) return envelope;
      }
      if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && received_.empty()) return std::nullopt;
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<wire::v1::Envelope> received_;
};

}  // namespace guildhall::services
