#include "wire/snapshot/snapshot_codec.hpp"

#include <algorithm>
#include <array>

#include "wire/snapshot/bit_reader.hpp"
#include "wire/snapshot/bit_writer.hpp"
#include "wire/snapshot/quantize.hpp"

namespace guildhall::wire::snapshot {

namespace {

// ---- The format's constants (docs/protocol.md, "Room snapshots: the bit format") ------------------------------

// Record ops, a prefix code read bit by bit: 0 change, 10 create, 110 remove, 111 end. Changes are the steady
// state, so they get the 1-bit code.
enum class op : std::uint8_t { change, create, remove, end };

// Id gaps (id - previous id - 1) in tiers: a unary tier number (0, 10, 110, 1110, 1111) then a value of the
// tier's width, offset by the tier's first gap. Neighbouring ids cost 1 bit; the 32-bit tier reaches any id.
struct gap_tier {
  unsigned width;
  std::uint32_t first;
};
constexpr std::array<gap_tier, 5> gap_tiers{{{0, 0}, {3, 1}, {6, 9}, {12, 73}, {32, 4169}}};

// A changed number: 0 + the full value, or 10 + sign + 4 bits (|delta| 1..16), or 11 + sign + 8 bits
// (|delta| 17..272). The encoder takes a delta tier only when it is strictly shorter than the full value.
constexpr unsigned small_delta_bits = 4;
constexpr std::uint32_t small_delta_first = 1;
constexpr unsigned medium_delta_bits = 8;
constexpr std::uint32_t medium_delta_first = small_delta_first + (1u << small_delta_bits);  // 17
constexpr unsigned small_delta_cost = 2 + 1 + small_delta_bits;                            // 7 bits
constexpr unsigned medium_delta_cost = 2 + 1 + medium_delta_bits;                          // 11 bits

// Types past 256 cannot be named by an entity's 8-bit type.
constexpr std::size_t max_types = 256;

std::size_t type_count(const world_schema& schema) { return std::min(schema.types.size(), max_types); }

unsigned bits_to_name(std::size_t count) {  // bits for an index in 0..count-1; 0 when there is one choice
  return count <= 1 ? 0 : field_spec::bits_for(count - 1);
}

// The signed change from `from` to `to`; for an angle the shorter way round the circle.
std::int64_t field_delta(const field_spec& spec, std::uint32_t from, std::uint32_t to) {
  std::int64_t delta = std::int64_t{to} - std::int64_t{from};
  if (spec.type == field_spec::kind::angle) {
    const std::int64_t turn = std::int64_t{1} << wire_bits(spec);
    delta = ((delta % turn) + turn) % turn;
    if (delta >= turn / 2) delta -= turn;
  }
  return delta;
}

// ---- Encoding ---------------------------------------------------------------------------------------------------

class encoder {
 public:
  encoder(const world_schema& schema, std::vector<std::uint8_t>& out) : schema_(schema), bits_(out) {}

  void create(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> values);
  void change(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> from,
              std::span<const std::uint32_t> to);
  void remove(std::uint32_t id) { record(op::remove, id); }
  void finish() {
    write_op(op::end);
    bits_.flush();
  }

 private:
  void write_op(op code);
  void record(op code, std::uint32_t id);
  void write_number(const field_spec& spec, std::uint32_t from, std::uint32_t to);

  // Field i of an entity as the encoder sends it: missing values are 0 and values are clamped to the field.
  std::uint32_t value_at(std::span<const std::uint32_t> values, std::size_t i, std::uint8_t type);

  const world_schema& schema_;
  bit_writer bits_;
  std::int64_t previous_id_ = -1;
  // max_quantized of each field of the type seen last: entities come in id order, which games group by type, and
  // this clamp runs for every field of every entity of every client's snapshot (it was 3% of a busy server).
  std::array<std::uint32_t, max_fields> limits_{};
  int limits_type_ = -1;
};

std::uint32_t encoder::value_at(std::span<const std::uint32_t> values, std::size_t i, std::uint8_t type) {
  if (limits_type_ != type) {
    const auto& fields = schema_.types[type].fields;
    for (std::size_t f = 0; f < fields.size() && f < max_fields; ++f) limits_[f] = max_quantized(fields[f]);
    limits_type_ = type;
  }
  return std::min(i < values.size() ? values[i] : 0u, limits_[i]);
}

void encoder::write_op(op code) {
  switch (code) {
    case op::change: bits_.write(0b0, 1); break;
    case op::create: bits_.write(0b01, 2); break;   // LSB first: 1 then 0
    case op::remove: bits_.write(0b011, 3); break;  // 1, 1, 0
    case op::end: bits_.write(0b111, 3); break;
  }
}

void encoder::record(op code, std::uint32_t id) {
  write_op(code);
  const auto gap = static_cast<std::uint32_t>(std::int64_t{id} - previous_id_ - 1);
  previous_id_ = id;
  std::size_t tier = 0;
  while (tier + 1 < gap_tiers.size() && gap >= gap_tiers[tier + 1].first) ++tier;
  // Unary tier number: `tier` ones, then a zero unless it is the last tier.
  for (std::size_t i = 0; i < tier; ++i) bits_.write_bit(true);
  if (tier + 1 < gap_tiers.size()) bits_.write_bit(false);
  bits_.write(gap - gap_tiers[tier].first, gap_tiers[tier].width);
}

void encoder::create(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> values) {
  record(op::create, id);
  bits_.write(type, bits_to_name(type_count(schema_)));
  const auto& fields = schema_.types[type].fields;
  for (std::size_t i = 0; i < fields.size() && i < max_fields; ++i) {
    bits_.write(value_at(values, i, type), wire_bits(fields[i]));
  }
}

// How a changed number travels: the shortest of the three codings that can carry it (ties go to the full value).
enum class number_coding : std::uint8_t { small, medium, full };

number_coding choose_coding(const field_spec& spec, std::uint64_t size) {
  const unsigned full_cost = 1 + wire_bits(spec);
  if (size < medium_delta_first && small_delta_cost < full_cost) return number_coding::small;
  if (size < medium_delta_first + (1u << medium_delta_bits) && medium_delta_cost < full_cost) {
    return number_coding::medium;
  }
  return number_coding::full;
}

std::uint64_t magnitude(std::int64_t delta) { return static_cast<std::uint64_t>(delta < 0 ? -delta : delta); }

std::size_t number_cost(const field_spec& spec, std::uint32_t from, std::uint32_t to) {
  switch (choose_coding(spec, magnitude(field_delta(spec, from, to)))) {
    case number_coding::small: return small_delta_cost;
    case number_coding::medium: return medium_delta_cost;
    case number_coding::full: break;
  }
  return 1 + wire_bits(spec);
}

void encoder::write_number(const field_spec& spec, std::uint32_t from, std::uint32_t to) {
  const std::int64_t delta = field_delta(spec, from, to);
  const std::uint64_t size = magnitude(delta);
  switch (choose_coding(spec, size)) {
    case number_coding::small:
      bits_.write(0b01, 2);
      bits_.write_bit(delta < 0);
      bits_.write(static_cast<std::uint32_t>(size - small_delta_first), small_delta_bits);
      break;
    case number_coding::medium:
      bits_.write(0b11, 2);
      bits_.write_bit(delta < 0);
      bits_.write(static_cast<std::uint32_t>(size - medium_delta_first), medium_delta_bits);
      break;
    case number_coding::full:
      bits_.write_bit(false);
      bits_.write(to, wire_bits(spec));
      break;
  }
}

// A change record costs 1 bit more for its op than a create, then its mask and numbers instead of the type and
// every field. When a create is strictly shorter (most fields changed, by large steps) the entity is sent whole.
void encoder::change(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> from,
                     std::span<const std::uint32_t> to) {
  // Most entities of a busy world did not change since the baseline: equal values clamp equally.
  if (std::ranges::equal(from, to)) return;
  const auto& fields = schema_.types[type].fields;
  if (fields.size() > max_fields) return create(id, type, to);  // a broken schema: no set can hold it anyway
  std::array<std::uint32_t, max_fields> old_values;
  std::array<std::uint32_t, max_fields> new_values;
  std::size_t changed_count = 0;
  std::size_t last_changed = 0;
  std::size_t numbers_cost = 0;
  std::size_t create_cost = 1 + bits_to_name(type_count(schema_));
  for (std::size_t i = 0; i < fields.size(); ++i) {
    old_values[i] = value_at(from, i, type);
    new_values[i] = value_at(to, i, type);
    create_cost += wire_bits(fields[i]);
    if (old_values[i] == new_values[i]) continue;
    ++changed_count;
    last_changed = i;
    // A changed boolean can only have flipped: its new value costs no bits.
    if (fields[i].type != field_spec::kind::boolean) {
      numbers_cost += number_cost(fields[i], old_values[i], new_values[i]);
    }
  }
  if (changed_count == 0) return;  // unchanged entities cost nothing
  const std::size_t mask_cost = fields.size() <= 1 ? 0
                                : changed_count == 1 ? 1 + bits_to_name(fields.size())
                                                     : 1 + fields.size();
  if (create_cost < mask_cost + numbers_cost) return create(id, type, to);
  record(op::change, id);
  if (fields.size() > 1) {
    bits_.write_bit(changed_count == 1);
    if (changed_count == 1) {
      bits_.write(static_cast<std::uint32_t>(last_changed), bits_to_name(fields.size()));
    } else {
      for (std::size_t i = 0; i < fields.size(); ++i) bits_.write_bit(old_values[i] != new_values[i]);
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (old_values[i] == new_values[i] || fields[i].type == field_spec::kind::boolean) continue;
    write_number(fields[i], old_values[i], new_values[i]);
  }
}

// ---- Decoding ---------------------------------------------------------------------------------------------------

using result = std::expected<void, snapshot_error>;

class decoder {
 public:
  decoder(const world_schema& schema, const entity_set& baseline, std::span<const std::uint8_t> bytes,
          entity_set& target)
      : schema_(schema), baseline_(baseline), bits_(bytes), target_(target) {}

  result run();

 private:
  std::expected<op, snapshot_error> read_op();
  std::expected<std::uint32_t, snapshot_error> read_id();
  result copy_baseline_below(std::uint32_t id);
  result create(std::uint32_t id);
  result change(std::uint32_t id);
  std::expected<std::uint64_t, snapshot_error> read_mask(std::size_t field_count);
  std::expected<std::uint32_t, snapshot_error> read_number(const field_spec& spec, std::uint32_t old_value);
  result finish();
  result add(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> values);

  const world_schema& schema_;
  const entity_set& baseline_;
  bit_reader bits_;
  entity_set& target_;
  std::size_t next_baseline_ = 0;  // baseline entities before this one are settled (copied, replaced or removed)
  std::int64_t previous_id_ = -1;
  std::array<std::uint32_t, max_fields> values_{};
};

std::unexpected<snapshot_error> fail(snapshot_error error) { return std::unexpected(error); }

std::expected<op, snapshot_error> decoder::read_op() {
  for (std::uint8_t ones = 0; ones < 3; ++ones) {
    auto bit = bits_.read_bit();
    if (!bit) return fail(snapshot_error::truncated);
    if (!*bit) return static_cast<op>(ones);
  }
  return op::end;
}

std::expected<std::uint32_t, snapshot_error> decoder::read_id() {
  std::size_t tier = 0;
  while (tier + 1 < gap_tiers.size()) {
    auto bit = bits_.read_bit();
    if (!bit) return fail(snapshot_error::truncated);
    if (!*bit) break;
    ++tier;
  }
  auto raw = bits_.read(gap_tiers[tier].width);
  if (!raw) return fail(snapshot_error::truncated);
  const std::int64_t id = previous_id_ + 1 + gap_tiers[tier].first + *raw;
  if (id > std::int64_t{UINT32_MAX}) return fail(snapshot_error::bad_id_order);
  previous_id_ = id;
  return static_cast<std::uint32_t>(id);
}

result decoder::add(std::uint32_t id, std::uint8_t type, std::span<const std::uint32_t> values) {
  if (target_.size() >= max_entities) return fail(snapshot_error::too_many_entities);
  if (!target_.add(id, type, values)) return fail(snapshot_error::bad_id_order);
  return {};
}

// Baseline entities below the next record's id are unchanged: they carry over as they are.
result decoder::copy_baseline_below(std::uint32_t id) {
  for (; next_baseline_ < baseline_.size() && baseline_.id(next_baseline_) < id; ++next_baseline_) {
    if (auto ok = add(baseline_.id(next_baseline_), baseline_.type(next_baseline_), baseline_.fields(next_baseline_));
        !ok) {
      return ok;
    }
  }
  return {};
}

result decoder::create(std::uint32_t id) {
  // A create may name an id the baseline holds (an id reused for a new entity): the new one replaces it.
  if (next_baseline_ < baseline_.size() && baseline_.id(next_baseline_) == id) ++next_baseline_;
  auto type = bits_.read(bits_to_name(type_count(schema_)));
  if (!type) return fail(snapshot_error::truncated);
  if (*type >= type_count(schema_)) return fail(snapshot_error::bad_type);
  const auto& fields = schema_.types[*type].fields;
  if (fields.size() > max_fields) return fail(snapshot_error::bad_type);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto value = bits_.read(wire_bits(fields[i]));
    if (!value) return fail(snapshot_error::truncated);
    if (*value > max_quantized(fields[i])) return fail(snapshot_error::value_out_of_range);
    values_[i] = *value;
  }
  return add(id, static_cast<std::uint8_t>(*type), std::span(values_.data(), fields.size()));
}

std::expected<std::uint64_t, snapshot_error> decoder::read_mask(std::size_t field_count) {
  if (field_count == 0) return 0;
  if (field_count == 1) return 1;
  auto one = bits_.read_bit();
  if (!one) return fail(snapshot_error::truncated);
  if (*one) {
    auto index = bits_.read(bits_to_name(field_count));
    if (!index) return fail(snapshot_error::truncated);
    if (*index >= field_count) return fail(snapshot_error::value_out_of_range);
    return std::uint64_t{1} << *index;
  }
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < field_count; ++i) {
    auto bit = bits_.read_bit();
    if (!bit) return fail(snapshot_error::truncated);
    if (*bit) mask |= std::uint64_t{1} << i;
  }
  return mask;
}

std::expected<std::uint32_t, snapshot_error> decoder::read_number(const field_spec& spec, std::uint32_t old_value) {
  auto delta_coded = bits_.read_bit();
  if (!delta_coded) return fail(snapshot_error::truncated);
  std::optional<std::uint32_t> value;
  if (!*delta_coded) {
    value = bits_.read(wire_bits(spec));
    if (!value) return fail(snapshot_error::truncated);
  } else {
    auto medium = bits_.read_bit();
    auto negative = bits_.read_bit();
    auto magnitude = bits_.read(medium && *medium ? medium_delta_bits : small_delta_bits);
    if (!medium || !negative || !magnitude) return fail(snapshot_error::truncated);
    std::int64_t delta = std::int64_t{*magnitude} + (*medium ? medium_delta_first : small_delta_first);
    if (*negative) delta = -delta;
    std::int64_t next = std::int64_t{old_value} + delta;
    if (spec.type == field_spec::kind::angle) {
      const std::int64_t turn = std::int64_t{1} << wire_bits(spec);
      next = ((next % turn) + turn) % turn;
    }
    if (next < 0 || next > std::int64_t{UINT32_MAX}) return fail(snapshot_error::value_out_of_range);
    value = static_cast<std::uint32_t>(next);
  }
  if (*value > max_quantized(spec)) return fail(snapshot_error::value_out_of_range);
  return *value;
}

result decoder::change(std::uint32_t id) {
  if (next_baseline_ >= baseline_.size() || baseline_.id(next_baseline_) != id) {
    return fail(snapshot_error::unknown_entity);
  }
  const std::size_t index = next_baseline_++;
  const std::uint8_t type = baseline_.type(index);
  const auto old_values = baseline_.fields(index);
  if (type >= type_count(schema_)) return fail(snapshot_error::bad_type);
  const auto& fields = schema_.types[type].fields;
  if (fields.size() != old_values.size()) return fail(snapshot_error::bad_type);
  auto mask = read_mask(fields.size());
  if (!mask) return fail(mask.error());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    values_[i] = old_values[i];
    if ((*mask >> i & 1) == 0) continue;
    if (fields[i].type == field_spec::kind::boolean) {
      values_[i] = old_values[i] == 0 ? 1 : 0;
      continue;
    }
    auto value = read_number(fields[i], old_values[i]);
    if (!value) return fail(value.error());
    values_[i] = *value;
  }
  return add(id, type, std::span(values_.data(), fields.size()));
}

result decoder::finish() {
  // The rest of the baseline is unchanged. (copy_baseline_below cannot reach an entity with id 2^32 - 1.)
  if (auto ok = copy_baseline_below(UINT32_MAX); !ok) return ok;
  if (next_baseline_ < baseline_.size()) {
    if (auto ok = add(baseline_.id(next_baseline_), baseline_.type(next_baseline_), baseline_.fields(next_baseline_));
        !ok) {
      return ok;
    }
  }
  // Padding: at most 7 zero bits to the byte boundary, nothing after.
  if (bits_.bits_left() >= 8) return fail(snapshot_error::trailing_bytes);
  auto padding = bits_.read(static_cast<unsigned>(bits_.bits_left()));
  if (!padding || *padding != 0) return fail(snapshot_error::trailing_bytes);
  return {};
}

result decoder::run() {
  target_.clear();
  for (;;) {
    auto code = read_op();
    if (!code) return fail(code.error());
    if (*code == op::end) return finish();
    auto id = read_id();
    if (!id) return fail(id.error());
    if (auto ok = copy_baseline_below(*id); !ok) return ok;
    result done;
    switch (*code) {
      case op::create: done = create(*id); break;
      case op::change: done = change(*id); break;
      case op::remove:
        if (next_baseline_ >= baseline_.size() || baseline_.id(next_baseline_) != *id) {
          return fail(snapshot_error::unknown_entity);
        }
        ++next_baseline_;
        break;
      case op::end: break;
    }
    if (!done) return done;
  }
}

}  // namespace

std::size_t encode_delta(const world_schema& schema, const entity_set& baseline, const entity_set& target,
                         std::vector<std::uint8_t>& out) {
  const std::size_t before = out.size();
  encoder writer(schema, out);
  std::size_t b = 0;
  for (std::size_t t = 0; t < target.size(); ++t) {
    const std::uint32_t id = target.id(t);
    for (; b < baseline.size() && baseline.id(b) < id; ++b) writer.remove(baseline.id(b));
    const std::uint8_t type = target.type(t);
    const bool in_baseline = b < baseline.size() && baseline.id(b) == id;
    if (type >= type_count(schema)) {  // broken precondition: leave it out (and let the client drop its old one)
      if (in_baseline) writer.remove(baseline.id(b++));
      continue;
    }
    if (in_baseline && baseline.type(b) == type) {
      writer.change(id, type, baseline.fields(b), target.fields(t));
    } else {
      writer.create(id, type, target.fields(t));
    }
    if (in_baseline) ++b;
  }
  for (; b < baseline.size(); ++b) writer.remove(baseline.id(b));
  writer.finish();
  return out.size() - before;
}

std::expected<void, snapshot_error> decode_delta(const world_schema& schema, const entity_set& baseline,
                                                 std::span<const std::uint8_t> bytes, entity_set& target) {
  if (&baseline == &target) {
    const entity_set copy = baseline;
    return decoder(schema, copy, bytes, target).run();
  }
  return decoder(schema, baseline, bytes, target).run();
}

std::string_view to_string(snapshot_error error) {
  switch (error) {
    case snapshot_error::truncated: return "truncated";
    case snapshot_error::bad_type: return "bad_type";
    case snapshot_error::bad_id_order: return "bad_id_order";
    case snapshot_error::unknown_entity: return "unknown_entity";
    case snapshot_error::too_many_entities: return "too_many_entities";
    case snapshot_error::trailing_bytes: return "trailing_bytes";
    case snapshot_error::value_out_of_range: return "value_out_of_range";
  }
  return "unknown";
}

}  // namespace guildhall::wire::snapshot
