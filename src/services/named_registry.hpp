#pragma once
// What this server offers of one kind (turn-based games, room types), by name. Filled once at start-up,
// read-only afterwards.
// Thread-safety: `add` before the server starts; `find` and `names` from any thread after.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::services {

// `T` has `std::string_view name() const`.
template <class T>
class named_registry {
 public:
  void add(std::unique_ptr<T> item) {
    const std::string name(item->name());
    items_[name] = std::move(item);
  }
  const T* find(std::string_view name) const {
    auto found = items_.find(name);
    return found == items_.end() ? nullptr : found->second.get();
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, item] : items_) out.push_back(name);
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<T>, std::less<>> items_;
};

}  // namespace guildhall::services
