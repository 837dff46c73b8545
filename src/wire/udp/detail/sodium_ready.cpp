#include "wire/udp/detail/sodium_ready.hpp"

#include <sodium.h>

#include <stdexcept>

namespace guildhall::wire::udp::detail {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace guildhall::wire::udp::detail
