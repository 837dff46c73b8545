#pragma once
// The room snapshot codec (issue 9, "State sync"): one client's view of the world at one tick, encoded as a delta
// against a view the client already holds, bit-packed and quantized. Sans-I/O and pure: bytes in, entity sets out.
// The exact format is in docs/protocol.md, "Room snapshots: the bit format"; sdk/js/src/snapshot_codec.ts is the
// browser's decoder and must stay byte-compatible (tests/unit/snapshot_vectors_test.cpp pins both to one fixture).
//
// Why a delta against an acknowledged baseline (Quake 3): snapshots travel unreliably and latest-wins, so the
// server encodes each one against the newest snapshot the client has acknowledged. A lost or replaced snapshot
// costs bandwidth, never correctness: the next one still decodes, against the baseline the client really has.
// Tick numbers are not in the payload; the message around it carries this tick and the baseline's.
//
// Thread-safety: free functions over caller-owned data; concurrent calls on different sets are fine.
#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>
#include <vector>

#include "guildhall/room.hpp"
#include "wire/snapshot/entity_set.hpp"

namespace guildhall::wire::snapshot {

// Encodes `target` as a delta against `baseline` (an empty baseline makes a full snapshot): entities created (all
// fields), changed (which fields changed and their new values, small changes as small deltas), removed (in the
// baseline, not in the target); unchanged entities cost nothing. Appends to `out` and returns the number of bytes
// appended (at least 1: the end marker).
// Preconditions (the room engine meets them by building sets with quantize()): every target entity's type indexes
// schema.types and it holds one value per field of that type. Breaking them is not undefined behaviour: an entity
// of an unknown type is left out, missing values are sent as 0 and values above max_quantized are clamped.
std::size_t encode_delta(const world_schema& schema, const entity_set& baseline, const entity_set& target,
                         std::vector<std::uint8_t>& out);

enum class snapshot_error {
  truncated,           // the bytes end before the end marker
  bad_type,            // a created entity's type is not in the schema, or a baseline entity does not fit it
  bad_id_order,        // an id past 2^32 - 1 (ids must strictly increase)
  unknown_entity,      // a change or removal of an id the baseline does not hold
  too_many_entities,   // the result would exceed max_entities
  trailing_bytes,      // bytes, or non-zero padding bits, after the end marker
  value_out_of_range,  // a field value above the field's max_quantized, or a field index past the type's fields
};

// The inverse of encode_delta: rebuilds `target` (cleared first; its capacity is reused) from `baseline` and
// `bytes`. Every byte is hostile: any input gives a set or a typed error, never undefined behaviour, and the
// allocation is bounded by max_entities * max_fields values. On error `target` holds an unspecified valid set.
// `target` may be the same object as `baseline` (the decode then works on a copy).
std::expected<void, snapshot_error> decode_delta(const world_schema& schema, const entity_set& baseline,
                                                 std::span<const std::uint8_t> bytes, entity_set& target);

std::string_view to_string(snapshot_error error);

}  // namespace guildhall::wire::snapshot
