#pragma once
// The schema's quantization (include/guildhall/room.hpp, field_spec): natural values to the unsigned integers
// that travel, and back. The server quantizes what a room writes; tests and clients use the same rules, and
// sdk/js/src/snapshot_codec.ts (and sdk/python/guildhall/snapshot.py) repeat them operation for operation so all
// give bit-identical results (the order of the floating-point steps matters; change all or none). Pure functions;
// safe from any thread.
#include <cstdint>

#include "guildhall/room.hpp"

namespace guildhall::wire::snapshot {

// The width of the field on the wire: `bits` clamped to 1..32, and 1 for a boolean whatever `bits` says.
unsigned wire_bits(const field_spec& spec);

// The largest quantized value the field can hold: 1 for a boolean, 2^bits - 1 for an angle, and for integer and
// real the number of steps from min to max (real: rounded up, so max itself is reachable), capped to what
// wire_bits holds. 0 when the spec is degenerate (max <= min, or a real's step <= 0).
std::uint32_t max_quantized(const field_spec& spec);

// boolean: value != 0. integer: round(value) clamped to [min, max], less min. real: the nearest step from min,
// clamped to [min, max]. angle: radians wrapped to [0, 2pi), in 2^bits steps. NaN quantizes to 0; every result is
// <= max_quantized(spec).
std::uint32_t quantize(const field_spec& spec, double value);

// The natural value of `q` (q above max_quantized is first clamped to it). real: min + q * step, but never above
// max.
double dequantize(const field_spec& spec, std::uint32_t q);

}  // namespace guildhall::wire::snapshot
