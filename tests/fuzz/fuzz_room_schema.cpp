// libFuzzer target: the SDK's reading of a room's join answer (client/sdk/schema_from_json.hpp) and the snapshot
// intake behind it. The input is the schema JSON, a NUL, then snapshot bytes. Any schema that reads must pass
// validate_schema and write back to JSON that reads the same; any bytes then decode against it, or are refused.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "client/sdk/schema_from_json.hpp"
#include "client/sdk/snapshot_intake.hpp"
#include "wire/snapshot/schema_json.hpp"

namespace sdk = guildhall::client::sdk;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\0');
  const auto json = input.substr(0, split);
  auto schema = sdk::schema_from_json(json);
  if (!schema) return 0;
  if (!guildhall::wire::snapshot::validate_schema(*schema)) std::abort();
  const auto again = sdk::schema_from_json(guildhall::wire::snapshot::schema_to_json(*schema));
  if (!again || again->types.size() != schema->types.size()) std::abort();
  if (split == std::string_view::npos) return 0;
  sdk::snapshot_intake intake;
  intake.reset(std::move(*schema));
  const auto bytes = std::span(data + split + 1, size - split - 1);
  if (auto world = intake.decode(1, 0, bytes); world && intake.newest_tick() != 1) std::abort();
  return 0;
}
