#include "services/matchmaker/matchmaker_messages.hpp"

#include <algorithm>

namespace guildhall::services::matchmaking {
namespace v1 = wire::v1;

result<ticket> ticket_from(const v1::MatchmakerAdd& request, std::vector<party_member> party, int room_seats,
                           const matchmaker_config& config) {
  // Checked before copying: the frame limit already bounds a request, but a ticket lives in memory for minutes.
  if (request.string_properties_size() > static_cast<int>(kMaxProperties) ||
      request.numeric_properties_size() > static_cast<int>(kMaxProperties) ||
      request.query().equal_size() > static_cast<int>(kMaxQueryTerms) ||
      request.query().ranges_size() > static_cast<int>(kMaxQueryTerms)) {
    return fail(errc::invalid_argument, "at most " + std::to_string(kMaxProperties) + " properties and " +
                                            std::to_string(kMaxQueryTerms) + " query terms of each kind");
  }
  ticket made;
  made.room_type = request.room_type();
  made.party = std::move(party);
  made.strings.insert(request.string_properties().begin(), request.string_properties().end());
  made.numbers.insert(request.numeric_properties().begin(), request.numeric_properties().end());
  made.wants.equal.insert(request.query().equal().begin(), request.query().equal().end());
  for (const auto& [name, range] : request.query().ranges()) {
    made.wants.ranges.emplace(name, numeric_range{range.min(), range.max(),
                                                  range.has_widen_per_second() ? range.widen_per_second()
                                                                               : config.widen_per_second,
                                                  range.has_max_widen() ? range.max_widen() : config.max_widen});
  }
  // Counts beyond int are refused by validation (a max_count above the room's seats), never wrapped.
  const auto count = [](std::uint32_t value) { return static_cast<int>(std::min<std::uint32_t>(value, 1'000'000)); };
  made.max_count = request.max_count() == 0 ? room_seats : count(request.max_count());
  made.min_count = request.min_count() == 0 ? made.max_count : count(request.min_count());
  return made;
}

std::map<std::string, std::string, std::less<>> room_options_for(const std::vector<ticket>& group) {
  std::map<std::string, std::string, std::less<>> options;
  for (const auto& member : group) options.insert(member.wants.equal.begin(), member.wants.equal.end());
  return options;
}

v1::Envelope ticket_envelope(std::uint32_t cid, const ticket& queued) {
  v1::Envelope envelope;
  envelope.set_cid(cid);
  auto* body = envelope.mutable_matchmaker_ticket();
  body->set_ticket(queued.id);
  body->set_room_type(queued.room_type);
  for (const auto& member : queued.party) {
    auto* shown = body->add_party();
    shown->set_user_id(member.user_id);
    shown->set_username(member.username);
  }
  return envelope;
}

v1::Envelope cancelled_envelope(std::uint64_t ticket_id, std::string reason) {
  v1::Envelope envelope;
  auto* body = envelope.mutable_matchmaker_cancelled();
  body->set_ticket(ticket_id);
  body->set_reason(std::move(reason));
  return envelope;
}

v1::Envelope matched_envelope(std::uint64_t ticket_id, std::uint64_t room_id, const std::string& room_type,
                              std::string reservation, const std::vector<party_member>& players) {
  v1::Envelope envelope;
  auto* body = envelope.mutable_matchmaker_matched();
  body->set_ticket(ticket_id);
  body->set_room_id(room_id);
  body->set_room_type(room_type);
  body->set_reservation(std::move(reservation));
  for (const auto& player : players) {
    auto* shown = body->add_players();
    shown->set_user_id(player.user_id);
    shown->set_username(player.username);
  }
  return envelope;
}

}  // namespace guildhall::services::matchmaking
