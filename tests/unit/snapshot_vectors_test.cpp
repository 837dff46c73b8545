// Cross-language agreement for the snapshot format: this test builds byte vectors with the C++ encoder (and
// quantization results, and hostile payloads with the error each must give) and checks they equal the checked-in
// fixture tests/unit/web/snapshot_vectors.json, which tests/unit/web/snapshot_codec.test.mjs decodes with
// sdk/js/src/snapshot_codec.ts. If the C++ side changes the format, this test fails until the fixture is regenerated:
//   GUILDHALL_UPDATE_SNAPSHOT_VECTORS=1 build/tests/unit_tests --gtest_filter='SnapshotVectors*'
// and the JavaScript test then says whether the browser's decoder still agrees.
#include <gtest/gtest.h>

#include <charconv>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "vector_fixture.hpp"
#include "wire/snapshot/bit_writer.hpp"
#include "wire/snapshot/entity_set.hpp"
#include "wire/snapshot/quantize.hpp"
#include "wire/snapshot/schema_json.hpp"
#include "wire/snapshot/snapshot_codec.hpp"

namespace {

using guildhall::test::hex;

using namespace guildhall;
using namespace guildhall::wire::snapshot;

const char* const fixture_path = GUILDHALL_SOURCE_DIR "/tests/unit/web/snapshot_vectors.json";

world_schema vector_schema() {
  world_schema schema;
  schema.types.push_back({"player",
                          {field_spec::fixed("x", -50, 50, 0.01), field_spec::fixed("y", 0, 100, 0.01),
                           field_spec::turn("aim", 10), field_spec::whole("health", 0, 100), field_spec::flag("alive"),
                           field_spec::whole("score", -1000, 100000)}});
  schema.types.push_back({"projectile", {field_spec::fixed("x", -50, 50, 0.01), field_spec::fixed("y", 0, 100, 0.01),
                                         field_spec::turn("heading", 32)}});
  schema.types.push_back({"timer", {field_spec::fixed("left", 0, 300, 0.1)}});
  schema.types.push_back({"marker", {}});
  schema.types.push_back({"door", {field_spec::flag("open"), field_spec::flag("locked")}});
  return schema;
}

std::string number(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, error == std::errc() ? end : buffer);
}

std::string set_json(const entity_set& set) {
  std::string out = "[";
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (i > 0) out += ',';
    out += "[" + std::to_string(set.id(i)) + "," + std::to_string(set.type(i)) + ",[";
    const auto fields = set.fields(i);
    for (std::size_t f = 0; f < fields.size(); ++f) out += (f > 0 ? "," : "") + std::to_string(fields[f]);
    out += "]]";
  }
  return out + "]";
}

// A world drifting over ticks with a portable generator (mt19937's raw output; the std distributions differ
// between standard libraries): players move by small and large steps, die, respawn; projectiles come and go.
entity_set drift(std::mt19937& random, const world_schema& schema, const entity_set& previous) {
  entity_set next;
  std::vector<std::uint32_t> values;
  for (std::uint32_t id = 0; id < 40; ++id) {
    const auto* old = previous.find(id);
    if (old ? random() % 8 == 0 : random() % 3 != 0) continue;
    const std::uint8_t type = old ? old->type : static_cast<std::uint8_t>(random() % schema.types.size());
    const auto& fields = schema.types[type].fields;
    values.assign(fields.size(), 0);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const std::int64_t top = max_quantized(fields[f]);
      std::int64_t value = static_cast<std::int64_t>(random() % (top + 1));
      if (old && random() % 3 != 0) {
        const std::int64_t step = static_cast<std::int64_t>(random() % 601) - 300;
        value = std::clamp<std::int64_t>(previous.fields(*old)[f] + (random() % 2 ? step : step / 20), 0, top);
      }
      values[f] = static_cast<std::uint32_t>(value);
    }
    next.add(id, type, values);
  }
  return next;
}

std::string quantize_vectors(const world_schema& schema) {
  const double pi = std::numbers::pi;
  const std::vector<double> values{-1e9, -50, -12.345, -0.005, 0, 0.004999, 0.005, 1.5, 7.25, 49.999, 50, 99.99, 1e9,
                                   -pi, -0.1, pi / 3, 2 * pi - 1e-12, 7 * pi, 299.95, 123456.7};
  std::string out = "[";
  bool first = true;
  for (std::size_t t = 0; t < schema.types.size(); ++t) {
    for (std::size_t f = 0; f < schema.types[t].fields.size(); ++f) {
      const auto& spec = schema.types[t].fields[f];
      for (double value : values) {
        const std::uint32_t q = quantize(spec, value);
        out += std::string(first ? "\n" : ",\n") + "{\"type\":" + std::to_string(t) + ",\"field\":" +
               std::to_string(f) + ",\"value\":" + number(value) + ",\"q\":" + std::to_string(q) +
               ",\"natural\":" + number(dequantize(spec, q)) + "}";
        first = false;
      }
    }
  }
  return out + "\n]";
}

std::string delta_vector(const world_schema& schema, const std::string& name, const entity_set& baseline,
                         const entity_set& target) {
  std::vector<std::uint8_t> payload;
  encode_delta(schema, baseline, target, payload);
  entity_set check;
  EXPECT_TRUE(decode_delta(schema, baseline, payload, check)) << name;
  EXPECT_EQ(check, target) << name;
  return "{\"name\":\"" + name + "\",\"baseline\":" + set_json(baseline) + ",\"target\":" + set_json(target) +
         ",\"bytes\":\"" + hex(payload) + "\"}";
}

std::string delta_vectors(const world_schema& schema) {
  std::vector<std::string> cases;
  std::mt19937 random(9);
  std::vector<entity_set> ticks{entity_set{}};
  for (int i = 0; i < 12; ++i) ticks.push_back(drift(random, schema, ticks.back()));
  cases.push_back(delta_vector(schema, "empty", {}, {}));
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    cases.push_back(delta_vector(schema, "tick " + std::to_string(i) + " full", {}, ticks[i]));
    cases.push_back(delta_vector(schema, "tick " + std::to_string(i) + " vs previous", ticks[i - 1], ticks[i]));
    cases.push_back(delta_vector(schema, "tick " + std::to_string(i) + " vs tick 1", ticks[1], ticks[i]));
  }
  entity_set extremes;
  const std::uint32_t top[] = {10000, 10000, 1023, 100, 1, 101000};
  const std::uint32_t heading[] = {0, 10000, 0xffffffff};
  extremes.add(0, 0, top);
  extremes.add(73, 1, heading);
  extremes.add(4169 + 73, 3, {});
  const std::uint32_t left[] = {3000};
  const std::uint32_t door[] = {1, 0};
  extremes.add(4169 + 74, 4, door);
  extremes.add(0xfffffffe, 2, left);
  extremes.add(0xffffffff, 3, {});
  entity_set wrapped;
  const std::uint32_t small_turn[] = {0, 10000, 5};
  const std::uint32_t flipped[] = {0, 1};
  wrapped.add(73, 1, small_turn);
  wrapped.add(4169 + 74, 4, flipped);
  cases.push_back(delta_vector(schema, "extreme ids and values", {}, extremes));
  cases.push_back(delta_vector(schema, "angle across zero, the rest removed", extremes, wrapped));
  std::string out = "[";
  for (std::size_t i = 0; i < cases.size(); ++i) out += (i > 0 ? ",\n" : "\n") + cases[i];
  return out + "\n]";
}

std::vector<std::uint8_t> pack(std::initializer_list<std::pair<std::uint32_t, unsigned>> values) {
  std::vector<std::uint8_t> out;
  bit_writer writer(out);
  for (const auto& [value, width] : values) writer.write(value, width);
  writer.flush();
  return out;
}

std::string error_vectors(const world_schema& schema) {
  entity_set one;
  const std::uint32_t player[] = {1, 2, 3, 4, 1, 5};
  one.add(0, 0, player);
  struct hostile {
    std::string name;
    const entity_set* baseline;
    std::vector<std::uint8_t> bytes;
  };
  const entity_set none;
  const std::vector<hostile> cases{
      {"no bytes", &none, {}},
      {"create cut short", &none, pack({{0b01, 2}, {0, 1}, {0, 3}, {0, 3}})},
      {"type 7 of 5", &none, pack({{0b01, 2}, {0, 1}, {7, 3}, {0b111, 3}})},
      {"change of an unknown id", &none, pack({{0, 1}, {0, 1}, {0b111, 3}})},
      {"removal of an unknown id", &one, pack({{0b011, 3}, {0b01, 2}, {0, 3}, {0b111, 3}})},
      {"id past 2^32 - 1", &none, pack({{0b011, 3}, {0xf, 4}, {0xffffffff, 32}})},
      {"health above max", &none, pack({{0b01, 2}, {0, 1}, {0, 3}, {0, 14}, {0, 14}, {0, 10}, {127, 7}, {0b111, 3}})},
      {"field index past the type", &one, pack({{0, 1}, {0, 1}, {1, 1}, {6, 3}, {0b111, 3}})},
      {"delta below zero", &one, pack({{0, 1}, {0, 1}, {1, 1}, {0, 3}, {0b01, 2}, {1, 1}, {1, 4}, {0b111, 3}})},
      {"a byte after the end", &none, {0b111, 0}},
      {"padding bits set", &none, {0b1000'0111}},
  };
  std::string out = "[";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    entity_set target;
    auto decoded = decode_delta(schema, *cases[i].baseline, cases[i].bytes, target);
    EXPECT_FALSE(decoded.has_value()) << cases[i].name;
    const std::string error(decoded ? "none" : to_string(decoded.error()));
    out += (i > 0 ? ",\n" : "\n") + std::string("{\"name\":\"") + cases[i].name + "\",\"baseline\":" +
           set_json(*cases[i].baseline) + ",\"bytes\":\"" + hex(cases[i].bytes) + "\",\"error\":\"" + error + "\"}";
  }
  return out + "\n]";
}

std::string fixture() {
  const auto schema = vector_schema();
  return "{\"schema\":" + schema_to_json(schema) + ",\n\"quantize\":" + quantize_vectors(schema) +
         ",\n\"deltas\":" + delta_vectors(schema) + ",\n\"errors\":" + error_vectors(schema) + "}\n";
}

TEST(SnapshotVectors, FixtureForTheJavaScriptDecoderIsCurrent) {
  guildhall::test::expect_fixture_current(fixture_path, fixture(), "GUILDHALL_UPDATE_SNAPSHOT_VECTORS", "the web test");
}

}  // namespace
