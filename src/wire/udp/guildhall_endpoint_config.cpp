#include "wire/udp/guildhall_endpoint_config.hpp"

namespace guildhall::wire::udp {

endpoint_config guildhall_endpoint_config() {
  endpoint_config config;
  constexpr std::size_t kMaxMessageBytes = 1024 * 1024 + 256;
  config.max_message_bytes = kMaxMessageBytes;
  config.max_fragments = (kMaxMessageBytes + config.fragment_bytes - 1) / config.fragment_bytes;
  return config;
}

}  // namespace guildhall::wire::udp
