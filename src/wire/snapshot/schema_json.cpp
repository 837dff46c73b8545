#include "wire/snapshot/schema_json.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "wire/snapshot/entity_set.hpp"

namespace guildhall::wire::snapshot {

namespace {

std::string_view kind_name(field_spec::kind kind) {
  switch (kind) {
    case field_spec::kind::boolean: return "boolean";
    case field_spec::kind::integer: return "integer";
    case field_spec::kind::real: return "real";
    case field_spec::kind::angle: return "angle";
  }
  return "integer";
}

// Names come from game code, but a quote or a control character must still not break the document.
void append_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      constexpr std::string_view hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[static_cast<unsigned char>(c) >> 4];
      out += hex[static_cast<unsigned char>(c) & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

// Shortest round-trip form (std::to_chars), which JavaScript's Number parsing reads back to the same double.
// JSON has no NaN or infinity: those become 0 (validate_schema refuses them anyway).
void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) value = 0;
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

}  // namespace

std::string schema_to_json(const world_schema& schema) {
  std::string out = R"({"types":[)";
  for (std::size_t t = 0; t < schema.types.size(); ++t) {
    if (t > 0) out += ',';
    out += R"({"name":)";
    append_string(out, schema.types[t].name);
    out += R"(,"fields":[)";
    for (std::size_t f = 0; f < schema.types[t].fields.size(); ++f) {
      const field_spec& spec = schema.types[t].fields[f];
      if (f > 0) out += ',';
      out += R"({"name":)";
      append_string(out, spec.name);
      out += R"(,"kind":")";
      out += kind_name(spec.type);
      out += R"(","min":)";
      append_number(out, spec.min);
      out += R"(,"max":)";
      append_number(out, spec.max);
      out += R"(,"step":)";
      append_number(out, spec.step);
      out += R"(,"bits":)" + std::to_string(unsigned{spec.bits}) + "}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

std::expected<void, std::string> validate_schema(const world_schema& schema) {
  if (schema.types.size() > 256) {
    return std::unexpected(std::to_string(schema.types.size()) + " entity types, at most 256");
  }
  for (const auto& type : schema.types) {
    if (type.fields.size() > max_fields) {
      return std::unexpected("type " + type.name + ": " + std::to_string(type.fields.size()) + " fields, at most " +
                             std::to_string(max_fields));
    }
    for (const auto& spec : type.fields) {
      const std::string where = "type " + type.name + ", field " + spec.name;
      if (spec.bits < 1 || spec.bits > 32) return std::unexpected(where + ": bits must be 1..32");
      if (!std::isfinite(spec.min) || !std::isfinite(spec.max) || !std::isfinite(spec.step)) {
        return std::unexpected(where + ": min, max and step must be finite");
      }
      const bool ranged = spec.type == field_spec::kind::integer || spec.type == field_spec::kind::real;
      if (ranged && !(spec.max > spec.min)) return std::unexpected(where + ": max must be above min");
      if (spec.type == field_spec::kind::real && !(spec.step > 0)) {
        return std::unexpected(where + ": step must be above 0");
      }
    }
  }
  return {};
}

}  // namespace guildhall::wire::snapshot
