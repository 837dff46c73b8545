#pragma once
// The protocol's messages as the SDK's public values, and the SDK's errors from the protocol's answers and the
// session's reasons. Pure functions; the one place that knows both the generated types and the public ones.
#include <optional>
#include <string>

#include "client/server_url.hpp"
#include "guildhall/client/client.hpp"
#include "guildhall/room.hpp"
#include "guildhall/v1/guildhall.pb.h"

namespace guildhall::client::sdk {

namespace v1 = guildhall::v1;

// The server's Error as a client_error (same code numbers).
client_error error_from(const v1::Error& error);
// A local failure of a request (client_connection::local_failure): timed out, or no connection.
client_error local_error_from(const std::string& message, bool closed_by_us);
// Why a connection ended, from the close code it ended with (when any) and the session's sentence: 3xxx is
// server_gone, 2xxx kicked, 4xxx protocol_violation (4001 idle and 4006 slow reader: timed_out); without a code,
// the sentence tells connection_refused and timed_out from the rest.
client_error connection_error_from(const std::string& reason, std::optional<std::uint16_t> close_code);

network_stats::transport_kind transport_kind_of(server_url::scheme scheme);
login_session login_from(const v1::AuthSession& session);
channel_member member_from(const v1::Member& member);
chat_message chat_from(const v1::ChatMessage& message);
presence_event presence_from(const v1::PresenceEvent& event);
history_page history_from(const v1::HistoryPage& page);
match_info match_info_from(const v1::MatchInfo& info);
move_record move_from(const v1::MoveRecord& move);
match_snapshot match_snapshot_from(const v1::MatchSnapshot& snapshot);
match_event match_event_from(const v1::MatchEvent& event);
notification notification_from(const v1::Notification& note);
leaderboard_page leaderboard_from(const v1::LeaderboardPage& page);
room_info room_info_from(const v1::RoomInfo& info);
room_member room_member_from(const v1::RoomMember& member);
room_event room_event_from(const v1::RoomEvent& event);
room_closed room_closed_from(const v1::RoomClosed& closed);
matchmaker_ticket ticket_from(const v1::MatchmakerTicket& ticket);
matchmaker_matched matched_from(const v1::MatchmakerMatched& matched);
// The schema's names only: the field specs stay with the decoder.
room_schema public_schema(const world_schema& schema);

void fill_create_match(const match_settings& settings, v1::CreateMatch& out);
void fill_matchmaker_add(const matchmaker_request& request, v1::MatchmakerAdd& out);

}  // namespace guildhall::client::sdk
