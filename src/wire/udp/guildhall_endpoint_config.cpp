#include "wire/udp/guildhall_endpoint_config.hpp"

namespace guildhall::wire::udp {

endpoint_config guildhall_endpoint_config() {
  endpoint_config config;
  // The fragment count is one byte: 255 fragments of 1 KiB.
  constexpr std::size_t kMaxFragments = 255;
  config.max_fragments = kMaxFragments;
  config.max_message_bytes = kMaxFragments * config.fragment_bytes;
  config.sequence_from_transport = true;
  return config;
}

}  // namespace guildhall::wire::udp
