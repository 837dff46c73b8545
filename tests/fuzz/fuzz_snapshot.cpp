// libFuzzer target: the room snapshot decoder (wire/snapshot/snapshot_codec.hpp). The first byte picks a baseline
// (none, a small world, a larger one); the rest is the payload. Whatever decodes must be a valid world for the
// schema, and must survive encoding again, against the same baseline and against none, unchanged.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "wire/snapshot/entity_set.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace snapshot = guildhall::wire::snapshot;
using guildhall::field_spec;

namespace {

const guildhall::world_schema& fuzz_schema() {
  static const guildhall::world_schema schema{{
      {"player", {field_spec::fixed("x", 0, 100, 0.01), field_spec::fixed("y", 0, 100, 0.01),
                  field_spec::turn("aim", 10), field_spec::whole("health", 0, 100), field_spec::flag("alive")}},
      {"projectile", {field_spec::fixed("x", 0, 100, 0.01), field_spec::turn("heading", 32)}},
      {"marker", {}},
  }};
  return schema;
}

// 0: no baseline; 1: three entities; 2: forty, sparse ids, every type.
const snapshot::entity_set& fuzz_baseline(std::uint8_t which) {
  static const std::vector<snapshot::entity_set> baselines = [] {
    std::vector<snapshot::entity_set> sets(3);
    const std::uint32_t a[] = {5000, 2500, 512, 100, 1};
    const std::uint32_t b[] = {1, 0xffffffff};
    sets[1].add(1, 0, a);
    sets[1].add(2, 1, b);
    sets[1].add(9, 2, {});
    for (std::uint32_t i = 0; i < 40; ++i) {
      const std::uint32_t values[] = {i * 250, 10000 - i * 250, i * 25, i, i % 2};
      const std::uint8_t type = static_cast<std::uint8_t>(i % 3);
      sets[2].add(i * i * 7, type, std::span(values, type == 0 ? 5 : type == 1 ? 2 : 0));
    }
    return sets;
  }();
  return baselines[which % baselines.size()];
}

bool valid_for_schema(const snapshot::entity_set& set) {
  const auto& schema = fuzz_schema();
  if (set.size() > snapshot::max_entities) return false;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set.type(i) >= schema.types.size()) return false;
    const auto& fields = schema.types[set.type(i)].fields;
    if (set.fields(i).size() != fields.size()) return false;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (set.fields(i)[f] > snapshot::max_quantized(fields[f])) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& schema = fuzz_schema();
  const auto& baseline = fuzz_baseline(data[0]);
  snapshot::entity_set target;
  if (!snapshot::decode_delta(schema, baseline, std::span(data + 1, size - 1), target)) return 0;
  if (!valid_for_schema(target)) std::abort();

  for (const snapshot::entity_set* against : {&baseline, static_cast<const snapshot::entity_set*>(nullptr)}) {
    const snapshot::entity_set empty;
    const auto& base = against ? *against : empty;
    std::vector<std::uint8_t> bytes;
    snapshot::encode_delta(schema, base, target, bytes);
    snapshot::entity_set again;
    if (!snapshot::decode_delta(schema, base, bytes, again) || !(again == target)) std::abort();
  }
  return 0;
}
