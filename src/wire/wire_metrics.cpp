#include "wire/wire_metrics.hpp"

#include "base/metrics.hpp"

namespace guildhall::wire {
namespace {

// Label values from a descriptor, and the series index of each field number or enum number.
struct proto_labels {
  std::vector<std::string> values;
  std::vector<std::size_t> index_of;  // by number; unused numbers map to 0
};

proto_labels envelope_bodies() {
  proto_labels labels;
  const auto* body = v1::Envelope::descriptor()->FindOneofByName("body");
  for (int i = 0; i < body->field_count(); ++i) {
    const auto* field = body->field(i);
    const auto number = static_cast<std::size_t>(field->number());
    if (labels.index_of.size() <= number) labels.index_of.resize(number + 1, 0);
    labels.index_of[number] = labels.values.size();
    labels.values.emplace_back(field->name());
  }
  return labels;
}

proto_labels error_codes() {
  proto_labels labels;
  const auto* codes = v1::ErrorCode_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto number = static_cast<std::size_t>(codes->value(i)->number());
    if (labels.index_of.size() <= number) labels.index_of.resize(number + 1, 0);
    labels.index_of[number] = labels.values.size();
    labels.values.emplace_back(codes->value(i)->name());
  }
  return labels;
}

struct wire_metrics {
  proto_labels bodies = envelope_bodies();
  proto_labels codes = error_codes();
  metrics::counter& requests = metrics::default_registry().add_counter(
      "guildhall_requests_total", "Requests received on TCP and WebSocket connections, by type.",
      {{"type", bodies.values}});
  metrics::counter& errors = metrics::default_registry().add_counter(
      "guildhall_errors_total", "Error answers sent to clients, by code.", {{"code", codes.values}});
};

wire_metrics& instruments() {
  static wire_metrics made;
  return made;
}

std::size_t index_in(const proto_labels& labels, std::size_t number) {
  return number < labels.index_of.size() ? labels.index_of[number] : 0;
}

}  // namespace

void count_request(v1::Envelope::BodyCase body) {
  auto& made = instruments();
  if (body == v1::Envelope::BODY_NOT_SET) return;
  made.requests.add(index_in(made.bodies, static_cast<std::size_t>(body)));
}

void register_wire_metrics() { (void)instruments(); }

void count_error(v1::ErrorCode code) {
  auto& made = instruments();
  made.errors.add(index_in(made.codes, static_cast<std::size_t>(code)));
}

}  // namespace guildhall::wire
