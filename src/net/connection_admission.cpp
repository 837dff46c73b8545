#include "net/connection_admission.hpp"

namespace guildhall::net {

connection_admission::verdict connection_admission::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return verdict::server_full;
  auto& count = per_address_[address];
  if (max_per_address_ != 0 && count >= max_per_address_) return verdict::address_full;
  ++count;
  ++total_;
  return verdict::admitted;
}

void connection_admission::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto it = per_address_.find(address);
  if (it == per_address_.end()) return;
  --total_;
  if (--it->second == 0) per_address_.erase(it);
}

}  // namespace guildhall::net
