#pragma once
// A room type's world schema as clients receive it (the rooms service sends it in the join answer), and the rules
// a schema must follow for the snapshot codec. sdk/js/src/snapshot_codec.ts schemaFromJson() reads exactly this shape:
//   {"types":[{"name":"player","fields":[{"name":"x","kind":"real","min":0,"max":100,"step":0.01,"bits":14},...]}]}
// Every field carries all of name, kind (boolean, integer, real, angle), min, max, step and bits. Numbers are
// written in the shortest form that reads back as the same double, so a client quantizes exactly as the server.
// Pure functions; safe from any thread.
#include <expected>
#include <string>

#include "guildhall/room.hpp"

namespace guildhall::wire::snapshot {

std::string schema_to_json(const world_schema& schema);

// Why `schema` cannot be used by rooms, in words for the room type's author: at most 256 types and 32 fields per
// type, bits 1..32, integer and real ranges with max > min, a real's step > 0 and finite bounds. The codec never
// misbehaves on a schema that fails this (it is total over any input), but such a schema cannot round-trip.
std::expected<void, std::string> validate_schema(const world_schema& schema);

}  // namespace guildhall::wire::snapshot
