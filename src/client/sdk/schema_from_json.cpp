#include "client/sdk/schema_from_json.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>

#include "wire/snapshot/schema_json.hpp"

namespace guildhall::client::sdk {
namespace pb = google::protobuf;

namespace {

using parsed = std::expected<void, std::string>;

const pb::Value* member(const pb::Struct& object, const std::string& name) {
  const auto found = object.fields().find(name);
  return found == object.fields().end() ? nullptr : &found->second;
}

std::expected<field_spec::kind, std::string> kind_from(const std::string& name) {
  if (name == "boolean") return field_spec::kind::boolean;
  if (name == "integer") return field_spec::kind::integer;
  if (name == "real") return field_spec::kind::real;
  if (name == "angle") return field_spec::kind::angle;
  return std::unexpected("unknown field kind '" + name + "'");
}

parsed field_from(const pb::Value& value, field_spec& spec) {
  if (!value.has_struct_value()) return std::unexpected("a field is not an object");
  const auto& object = value.struct_value();
  const auto* name = member(object, "name");
  const auto* kind = member(object, "kind");
  if (!name || !name->has_string_value() || !kind || !kind->has_string_value()) {
    return std::unexpected("a field lacks its name or kind");
  }
  spec.name = name->string_value();
  auto type = kind_from(kind->string_value());
  if (!type) return std::unexpected(type.error());
  spec.type = *type;
  double numbers[4] = {};
  const char* keys[4] = {"min", "max", "step", "bits"};
  for (int i = 0; i < 4; ++i) {
    const auto* number = member(object, keys[i]);
    if (!number || !number->has_number_value() || !std::isfinite(number->number_value())) {
      return std::unexpected("field " + spec.name + ": '" + keys[i] + "' is not a number");
    }
    numbers[i] = number->number_value();
  }
  if (numbers[3] < 1 || numbers[3] > 32) return std::unexpected("field " + spec.name + ": bits must be 1..32");
  spec.min = numbers[0];
  spec.max = numbers[1];
  spec.step = numbers[2];
  spec.bits = static_cast<std::uint8_t>(numbers[3]);
  return {};
}

parsed type_from(const pb::Value& value, entity_type& type) {
  if (!value.has_struct_value()) return std::unexpected("a type is not an object");
  const auto* name = member(value.struct_value(), "name");
  const auto* fields = member(value.struct_value(), "fields");
  if (!name || !name->has_string_value() || !fields || !fields->has_list_value()) {
    return std::unexpected("a type lacks its name or fields");
  }
  type.name = name->string_value();
  if (fields->list_value().values_size() > 32) return std::unexpected("type " + type.name + ": over 32 fields");
  for (const auto& field : fields->list_value().values()) {
    if (auto ok = field_from(field, type.fields.emplace_back()); !ok) return ok;
  }
  return {};
}

}  // namespace

std::expected<world_schema, std::string> schema_from_json(std::string_view json) {
  if (json.size() > kMaxSchemaJsonBytes) return std::unexpected("the room schema is too large");
  pb::Struct document;
  if (!pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()), &document).ok()) {
    return std::unexpected("the room schema is not JSON");
  }
  const auto* types = member(document, "types");
  if (!types || !types->has_list_value()) return std::unexpected("the room schema has no types");
  if (types->list_value().values_size() > 256) return std::unexpected("the room schema has over 256 types");
  world_schema schema;
  for (const auto& type : types->list_value().values()) {
    if (auto ok = type_from(type, schema.types.emplace_back()); !ok) return std::unexpected(ok.error());
  }
  if (auto valid = wire::snapshot::validate_schema(schema); !valid) return std::unexpected(valid.error());
  return schema;
}

}  // namespace guildhall::client::sdk
