// libFuzzer target: connect tokens and identities (wire/udp/connect_token.hpp). The first byte picks the decoder:
//   0: open_connect_token on the next 1024 bytes (zero-padded), fixed key, nonce and expiry (udp_fuzz_fixture.hpp)
//   1: read_connect_token_private on the next 1008 bytes (zero-padded): the plaintext parser the MAC protects
//   2: unpack_identity on the next 256 bytes (zero-padded)
// Whatever decodes must be in range and must encode back to an equal value (identities: to the same bytes).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "udp_fuzz_fixture.hpp"

namespace {

using namespace udp_fuzz;

template <std::size_t N>
std::array<std::uint8_t, N> padded(std::span<const std::uint8_t> input) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(input.begin(), std::min(N, input.size()), out.begin());
  return out;
}

void check_token(const connect_token_private& token) {
  if (token.server_addresses.empty() || token.server_addresses.size() > kMaxServerAddresses) std::abort();
  if (token.timeout_seconds == 0 || token.timeout_seconds > kMaxTimeoutSeconds) std::abort();
  std::array<std::uint8_t, kConnectTokenPlainBytes> plain{};
  if (!write_connect_token_private(token, plain)) std::abort();
  auto again = read_connect_token_private(plain);
  if (!again || !(*again == token)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  switch (data[0]) {
    case 0: {
      const auto sealed = padded<kConnectTokenPrivateBytes>(rest);
      const auto issued = token(1);
      auto opened = open_connect_token(sealed, issued.nonce, kProtocolId, kExpireS, fixed_key(1));
      if (opened) check_token(*opened);
      break;
    }
    case 1: {
      const auto plain = padded<kConnectTokenPlainBytes>(rest);
      auto read = read_connect_token_private(plain);
      if (read) check_token(*read);
      break;
    }
    case 2: {
      const auto user_data = padded<kUserDataBytes>(rest);
      auto identity = unpack_identity(user_data);
      if (identity) {
        auto packed = pack_identity(*identity);
        if (!packed || *packed != user_data) std::abort();
      }
      break;
    }
    default:
      break;
  }
  return 0;
}
