#pragma once
// The real-time room types this server offers, by name. Filled once at start-up (src/server/room_types.cpp),
// read-only afterwards.
// Thread-safety: `add` before the server starts; `find` and `names` from any thread after.
#include <guildhall/room.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace guildhall::services {

class room_registry {
 public:
  void add(std::unique_ptr<room_type> type) {
    const std::string name(type->name());
    types_[name] = std::move(type);
  }
  const room_type* find(std::string_view name) const {
    auto found = types_.find(name);
    return found == types_.end() ? nullptr : found->second.get();
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, type] : types_) out.push_back(name);
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<room_type>, std::less<>> types_;
};

}  // namespace guildhall::services
