#include "base/metrics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace guildhall::metrics {
namespace {

// Hands each recording thread a slot index of its own, and takes it back when the thread exits.
struct slot_pool {
  std::mutex mutex;
  std::vector<std::size_t> free;
  std::size_t next = 0;
};

slot_pool& pool() {
  static auto* shared = new slot_pool;  // never destroyed: threads may exit after static destructors run
  return *shared;
}

struct thread_slot {
  std::size_t index = kMaxSlots;
  thread_slot() {
    // The lock also orders this thread's first writes after the last writes of the thread that had the slot.
    std::lock_guard lock(pool().mutex);
    if (!pool().free.empty()) {
      index = pool().free.back();
      pool().free.pop_back();
    } else if (pool().next < kMaxSlots) {
      index = pool().next++;
    }
  }
  ~thread_slot() {
    if (index == kMaxSlots) return;
    std::lock_guard lock(pool().mutex);
    pool().free.push_back(index);
  }
};

std::size_t this_thread_slot() {
  thread_local thread_slot slot;
  return slot.index;
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::ranges::all_of(name, [allow_colon](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (allow_colon && c == ':');
  });
}

void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
}

std::string format_number(double value) { return fmt::format("{}", value); }

std::size_t count_series(const std::vector<label>& labels) {
  std::size_t count = 1;
  for (const auto& one : labels) count *= one.values.size();
  return count;
}

}  // namespace

family::family(family_kind kind, std::string name, std::string help, std::vector<label> labels,
               std::vector<std::uint64_t> bucket_bounds, double units_per_exposed)
    : kind_(kind),
      name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bucket_bounds)),
      units_per_exposed_(units_per_exposed),
      series_count_(count_series(labels_)),
      // A histogram series: one cell per bucket, one for +Inf, one for the sum.
      cells_per_series_(kind_ == family_kind::histogram ? bounds_.size() + 2 : 1),
      lines_per_row_((series_count_ * cells_per_series_ + 7) / 8) {
  if (!valid_name(name_, true)) throw std::logic_error("bad metric name '" + name_ + "'");
  for (const auto& one : labels_) {
    if (!valid_name(one.name, false) || one.name.starts_with("__") || one.name == "le" || one.values.empty()) {
      throw std::logic_error("bad label '" + one.name + "' on " + name_);
    }
  }
  if (series_count_ == 0 || !std::ranges::is_sorted(bounds_) ||
      std::ranges::adjacent_find(bounds_) != bounds_.end()) {
    throw std::logic_error("bad series or buckets on " + name_);
  }
}

family::~family() {
  for (auto& row : rows_) delete[] row.load(std::memory_order_acquire);
}

std::size_t family::series(std::initializer_list<std::size_t> value_indexes) const {
  std::size_t index = 0;
  std::size_t at = 0;
  for (const std::size_t value : value_indexes) index = index * labels_[at++].values.size() + value;
  return index;
}

void family::add_cell(std::size_t cell, std::uint64_t delta) {
  const std::size_t slot = this_thread_slot();
  cache_line* row = rows_[slot].load(std::memory_order_acquire);
  if (!row) {
    // First write by this slot: allocate its row. Only the overflow slot can race with itself.
    std::unique_lock lock(overflow_mutex_, std::defer_lock);
    if (slot == kMaxSlots) lock.lock();
    row = rows_[slot].load(std::memory_order_acquire);
    if (!row) {
      row = new cache_line[lines_per_row_];
      rows_[slot].store(row, std::memory_order_release);
    }
  }
  auto& target = row[cell / 8].cells[cell % 8];
  if (slot == kMaxSlots) {
    target.fetch_add(delta, std::memory_order_relaxed);
  } else {
    // The only writer of this cell: a plain load and store, no locked instruction.
    target.store(target.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
  }
}

std::uint64_t family::sum_cell(std::size_t cell) const {
  std::uint64_t total = 0;
  for (const auto& slot : rows_) {
    if (const cache_line* row = slot.load(std::memory_order_acquire)) {
      total += row[cell / 8].cells[cell % 8].load(std::memory_order_relaxed);
    }
  }
  return total;
}

void family::write_series_labels(std::string& out, std::size_t series, std::string_view extra) const {
  if (labels_.empty() && extra.empty()) return;
  std::vector<std::size_t> values(labels_.size());
  for (std::size_t i = labels_.size(); i-- > 0;) {
    values[i] = series % labels_[i].values.size();
    series /= labels_[i].values.size();
  }
  out += '{';
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    if (i > 0) out += ',';
    out += labels_[i].name;
    out += "=\"";
    append_escaped(out, labels_[i].values[values[i]], true);
    out += '"';
  }
  if (!extra.empty()) {
    if (!labels_.empty()) out += ',';
    out += extra;
  }
  out += '}';
}

void family::write_histogram(std::string& out, std::size_t series) const {
  const std::size_t first = series * cells_per_series_;
  std::uint64_t cumulative = 0;
  for (std::size_t bucket = 0; bucket <= bounds_.size(); ++bucket) {
    cumulative += sum_cell(first + bucket);
    const std::string bound = bucket < bounds_.size()
                                  ? format_number(static_cast<double>(bounds_[bucket]) / units_per_exposed_)
                                  : std::string("+Inf");
    const std::string le = "le=\"" + bound + "\"";
    out += name_ + "_bucket";
    write_series_labels(out, series, le);
    out += ' ' + std::to_string(cumulative) + '\n';
  }
  out += name_ + "_sum";
  write_series_labels(out, series, {});
  out += ' ' + format_number(static_cast<double>(sum_cell(first + bounds_.size() + 1)) / units_per_exposed_) + '\n';
  out += name_ + "_count";
  write_series_labels(out, series, {});
  out += ' ' + std::to_string(cumulative) + '\n';
}

void family::write_text(std::string& out) const {
  static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
  out += "# HELP " + name_ + ' ';
  append_escaped(out, help_, false);
  out += "\n# TYPE " + name_ + ' ' + std::string(kTypes[static_cast<int>(kind_)]) + '\n';
  const bool only_touched = labels_.size() > 1;
  for (std::size_t series = 0; series < series_count_; ++series) {
    if (kind_ == family_kind::histogram) {
      if (only_touched && histogram_count(series) == 0) continue;
      write_histogram(out, series);
      continue;
    }
    const std::uint64_t raw = sum_cell(series);
    if (only_touched && raw == 0) continue;
    out += name_;
    write_series_labels(out, series, {});
    out += ' ';
    out += kind_ == family_kind::gauge ? std::to_string(static_cast<std::int64_t>(raw)) : std::to_string(raw);
    out += '\n';
  }
}

void histogram::observe(std::size_t series, std::uint64_t value) {
  const auto& upper = bounds();
  const std::size_t bucket =
      static_cast<std::size_t>(std::ranges::lower_bound(upper, value) - upper.begin());  // le: value <= bound
  const std::size_t first = series * cells_per_series();
  add_cell(first + bucket, 1);
  add_cell(first + upper.size() + 1, value);
}

std::uint64_t family::histogram_count(std::size_t series) const {
  std::uint64_t total = 0;
  for (std::size_t bucket = 0; bucket <= bounds_.size(); ++bucket) {
    total += sum_cell(series * cells_per_series_ + bucket);
  }
  return total;
}

std::uint64_t histogram::sum(std::size_t series) const {
  return sum_cell(series * cells_per_series() + bounds().size() + 1);
}

std::vector<std::uint64_t> latency_buckets_us() {
  return {100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000,
          2'500'000, 5'000'000, 10'000'000};
}

template <typename Family>
Family& registry::add(std::unique_ptr<Family> made) {
  std::lock_guard lock(mutex_);
  for (const auto& existing : families_) {
    if (existing->name() == made->name()) throw std::logic_error("metric registered twice: " + made->name());
  }
  Family& result = *made;
  families_.push_back(std::move(made));
  return result;
}

counter& registry::add_counter(std::string name, std::string help, std::vector<label> labels) {
  return add(std::make_unique<counter>(std::move(name), std::move(help), std::move(labels)));
}

gauge& registry::add_gauge(std::string name, std::string help, std::vector<label> labels) {
  return add(std::make_unique<gauge>(std::move(name), std::move(help), std::move(labels)));
}

histogram& registry::add_histogram(std::string name, std::string help, std::vector<std::uint64_t> bucket_bounds,
                                   double units_per_exposed, std::vector<label> labels) {
  return add(std::make_unique<histogram>(std::move(name), std::move(help), std::move(bucket_bounds), units_per_exposed,
                                         std::move(labels)));
}

std::string registry::write_text() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& one : families_) one->write_text(out);
  return out;
}

registry& default_registry() {
  static auto* shared = new registry;  // never destroyed: threads may record while the process exits
  return *shared;
}

}  // namespace guildhall::metrics
