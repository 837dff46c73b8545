#pragma once
// Between the protocol's matchmaker messages and the matchmaker's values: a MatchmakerAdd read into a ticket
// (with the server's defaults filled in), and the envelopes the matchmaker answers and pushes.
// Thread-safety: pure functions.
#include <map>
#include <string>
#include <vector>

#include "services/matchmaker/matchmaker_config.hpp"
#include "services/matchmaker/ticket.hpp"
#include "wire/codec.hpp"

namespace guildhall::services::matchmaking {

// The request's properties, query and counts as a ticket for `party` (leader first), not yet validated beyond
// what copying needs: counts are capped before anything is copied, so a huge request costs no memory.
// min_count/max_count 0 take the room's seats (min: max_count); unset widening takes the configured defaults.
result<ticket> ticket_from(const wire::v1::MatchmakerAdd& request, std::vector<party_member> party, int room_seats,
                           const matchmaker_config& config);

// The options a matched room is created with: every string equality some ticket's query required (the group's
// tickets all satisfy them, so they agree), such as {"mode": "ffa", "region": "eu"}.
std::map<std::string, std::string, std::less<>> room_options_for(const std::vector<ticket>& group);

wire::v1::Envelope ticket_envelope(std::uint32_t cid, const ticket& queued);
wire::v1::Envelope cancelled_envelope(std::uint64_t ticket_id, std::string reason);
wire::v1::Envelope matched_envelope(std::uint64_t ticket_id, std::uint64_t room_id, const std::string& room_type,
                                    std::string reservation, const std::vector<party_member>& players);

}  // namespace guildhall::services::matchmaking
