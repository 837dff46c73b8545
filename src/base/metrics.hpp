#pragma once
// A small metrics registry with Prometheus text exposition (`GET /metrics`).
//
// Recording is lock-free and shares nothing between threads: each thread that records gets a slot of its own
// (a shard, a database thread, a bot thread), and each family keeps one row of cells per slot, written only by
// that slot's thread with a relaxed load and store (no locked instruction, no cache line shared with another
// writer). A scrape sums the rows. Slots are handed back when a thread exits and reused by the next thread, which
// keeps adding to the same cells, so sums stay right across thread lifetimes.
//
// Families are counters (only grow), gauges (sums of +/- deltas, so the thread that opens something may differ
// from the one that closes it) and histograms with fixed buckets. Labels come from small fixed sets given at
// registration: a series is addressed by its index, so recording is an array index, never a map lookup or a
// string. A layer keeps its families in one file of its own (net/net_metrics.hpp, store/store_metrics.hpp, ...)
// registered in `default_registry()`, and records with one line where things happen.
//
// Thread-safety: every member may be called from any thread. Registration and scrapes take the registry's lock;
// recording never does. Families are never removed, so the references registration returns stay valid.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::metrics {

// Threads that may record at the same time. Past this, threads share one overflow slot written with atomic
// read-modify-writes: still correct, only slower. Shards (at most 64), database and bot threads fit well below.
inline constexpr std::size_t kMaxSlots = 256;

// One label and every value it may take, in the order series indexes use.
struct label {
  std::string name;
  std::vector<std::string> values;
};

enum class family_kind { counter, gauge, histogram };

class family {
 public:
  family(family_kind kind, std::string name, std::string help, std::vector<label> labels,
         std::vector<std::uint64_t> bucket_bounds, double units_per_exposed);
  ~family();
  family(const family&) = delete;
  family& operator=(const family&) = delete;

  family_kind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  std::size_t series_count() const { return series_count_; }
  // The series of one value index per label (first label varies slowest).
  std::size_t series(std::initializer_list<std::size_t> value_indexes) const;

  // Appends this family's HELP, TYPE and samples. Series of families with two labels or more are printed only
  // once they counted something (most combinations never happen); series of a single label always are.
  void write_text(std::string& out) const;

 protected:
  // Adds `delta` (two's complement for negative gauge deltas) to cell `cell` of the calling thread's row.
  void add_cell(std::size_t cell, std::uint64_t delta);
  std::uint64_t sum_cell(std::size_t cell) const;
  std::size_t cells_per_series() const { return cells_per_series_; }
  const std::vector<std::uint64_t>& bounds() const { return bounds_; }
  std::uint64_t histogram_count(std::size_t series) const;

 private:
  struct alignas(64) cache_line {
    std::array<std::atomic<std::uint64_t>, 8> cells{};
  };
  void write_series_labels(std::string& out, std::size_t series, std::string_view extra) const;
  void write_histogram(std::string& out, std::size_t series) const;

  family_kind kind_;
  std::string name_;
  std::string help_;
  std::vector<label> labels_;
  std::vector<std::uint64_t> bounds_;  // histogram bucket upper bounds, in recorded units, ascending
  double units_per_exposed_;           // exposed value = recorded value / this (µs -> seconds: 1e6)
  std::size_t series_count_;
  std::size_t cells_per_series_;
  std::size_t lines_per_row_;
  // One row per slot, allocated by its thread on first use; kMaxSlots is the overflow slot.
  std::array<std::atomic<cache_line*>, kMaxSlots + 1> rows_{};
  std::mutex overflow_mutex_;  // only for allocating the shared overflow row
};

// Only grows. Name it `..._total`.
class counter : public family {
 public:
  counter(std::string name, std::string help, std::vector<label> labels = {})
      : family(family_kind::counter, std::move(name), std::move(help), std::move(labels), {}, 1.0) {}
  void add(std::size_t series = 0, std::uint64_t n = 1) { add_cell(series, n); }
  std::uint64_t value(std::size_t series = 0) const { return sum_cell(series); }
};

// Goes up and down: the sum of every thread's deltas (open connections, queue depths, live matches).
class gauge : public family {
 public:
  gauge(std::string name, std::string help, std::vector<label> labels = {})
      : family(family_kind::gauge, std::move(name), std::move(help), std::move(labels), {}, 1.0) {}
  void add(std::size_t series, std::int64_t delta) { add_cell(series, static_cast<std::uint64_t>(delta)); }
  std::int64_t value(std::size_t series = 0) const { return static_cast<std::int64_t>(sum_cell(series)); }
};

// Observations are integers in a recorded unit (microseconds, bytes); `units_per_exposed` converts to the exposed
// base unit (1e6 microseconds a second). Dividing, not multiplying by 1e-6, keeps 58500 µs printed as 0.0585. Buckets are fixed at registration: observing is a short scan and two cell writes.
class histogram : public family {
 public:
  histogram(std::string name, std::string help, std::vector<std::uint64_t> bucket_bounds, double units_per_exposed,
            std::vector<label> labels = {})
      : family(family_kind::histogram, std::move(name), std::move(help), std::move(labels), std::move(bucket_bounds),
               units_per_exposed) {}
  void observe(std::size_t series, std::uint64_t value);
  std::uint64_t count(std::size_t series = 0) const { return histogram_count(series); }
  std::uint64_t sum(std::size_t series = 0) const;  // in recorded units
};

// Bucket bounds in microseconds for latencies from 100 µs to 10 s (database commits, bot moves).
std::vector<std::uint64_t> latency_buckets_us();

class registry {
 public:
  // Registration: names must be unique (a programmer error throws std::logic_error). The registry owns the
  // family; the reference stays valid for the registry's lifetime.
  counter& add_counter(std::string name, std::string help, std::vector<label> labels = {});
  gauge& add_gauge(std::string name, std::string help, std::vector<label> labels = {});
  histogram& add_histogram(std::string name, std::string help, std::vector<std::uint64_t> bucket_bounds,
                           double units_per_exposed, std::vector<label> labels = {});

  // Prometheus text exposition format 0.0.4, families in registration order.
  std::string write_text() const;

 private:
  template <typename Family>
  Family& add(std::unique_ptr<Family> made);

  mutable std::mutex mutex_;  // guards families_: taken to register and to scrape, never to record
  std::vector<std::unique_ptr<family>> families_;
};

// The process's registry, where every layer's families live and `GET /metrics` reads.
registry& default_registry();

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace guildhall::metrics
