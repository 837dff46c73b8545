// libFuzzer target: services::token_signer::verify on hostile strings. Nothing the fuzzer writes can carry a valid
// MAC, so verify must never succeed; and claims built from the input must sign and verify back unchanged.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/auth/token_signer.hpp"

namespace services = guildhall::services;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  services::token_signer::key secret;
  secret.fill(0x5a);  // the key tests/fuzz/corpus/fuzz_token was signed with
  const services::token_signer signer(secret);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kNow = 1'800'000'000'000;

  // Only tokens this key signed may pass, and only in the exact spelling sign() gives them: a second spelling
  // (other base64 padding bits, a re-encoded payload) that verifies would make tokens malleable.
  for (auto kind : {services::token_kind::access, services::token_kind::refresh}) {
    if (auto claims = signer.verify(input, kind, kNow); claims && signer.sign(*claims) != input) std::abort();
  }

  if (size >= 8 && size <= 40) {
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < 8; ++i) id = (id << 8) | data[i];
    const services::token_claims claims{(id & 1) ? services::token_kind::refresh : services::token_kind::access, id,
                                        std::string(input.substr(8)), kNow + 1};
    auto back = signer.verify(signer.sign(claims), claims.kind, kNow);
    if (!back || back->user_id != claims.user_id || back->username != claims.username ||
        back->expires_at_ms != claims.expires_at_ms || back->kind != claims.kind) {
      std::abort();
    }
  }
  return 0;
}
