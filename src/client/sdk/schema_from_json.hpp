#pragma once
// Reads the world schema a room sends in RoomJoined.schema_json (the shape wire/snapshot/schema_json.hpp writes)
// back into a world_schema the snapshot codec decodes with. The JSON comes from the network: anything but a
// schema that passes validate_schema() is refused with a sentence, never undefined behaviour.
// Pure; safe from any thread.
#include <expected>
#include <string>
#include <string_view>

#include "guildhall/room.hpp"

namespace guildhall::client::sdk {

// Bigger than any schema within validate_schema's caps (256 types of 32 fields of ~100 bytes): a hostile join
// answer cannot make the parser build an unbounded document.
inline constexpr std::size_t kMaxSchemaJsonBytes = 1 << 20;

std::expected<world_schema, std::string> schema_from_json(std::string_view json);

}  // namespace guildhall::client::sdk
