#include "client/sdk/convert.hpp"

namespace guildhall::client::sdk {

namespace {

template <typename Out, typename In, typename F>
std::vector<Out> all(const In& repeated, F&& one) {
  std::vector<Out> out;
  out.reserve(static_cast<std::size_t>(repeated.size()));
  for (const auto& item : repeated) out.push_back(one(item));
  return out;
}

bool mentions(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

}  // namespace

client_error error_from(const v1::Error& error) {
  const auto code = static_cast<std::uint16_t>(error.code());
  // The server never sends 0; a code from a newer server this SDK does not know is still an answer: internal.
  const bool known = code >= 1 && code <= static_cast<std::uint16_t>(client_errc::not_online);
  return client_error{.code = known ? static_cast<client_errc>(code) : client_errc::internal,
                      .message = error.message(),
                      .retry_after_ms = error.retry_after_ms()};
}

client_error local_error_from(const std::string& message, bool closed_by_us) {
  if (closed_by_us) return client_error{.code = client_errc::closed, .message = message};
  if (mentions(message, "timed out")) return client_error{.code = client_errc::timed_out, .message = message};
  return client_error{.code = client_errc::not_connected, .message = message};
}

client_error connection_error_from(const std::string& reason, std::optional<std::uint16_t> close_code) {
  client_error out{.code = client_errc::network_error, .message = reason, .close_code = close_code};
  if (close_code) {
    const auto code = *close_code;
    if (code >= 3000 && code < 4000) out.code = client_errc::server_gone;
    else if (code >= 2000 && code < 3000) out.code = client_errc::kicked;
    else if (code == 4001 || code == 4006) out.code = client_errc::timed_out;
    else if (code == 4003) out.code = client_errc::auth_failed;
    else if (code >= 4000 && code < 5000) out.code = client_errc::protocol_violation;
    return out;
  }
  // The internal client words its failures for people; these are the phrases it uses (client_connection.cpp,
  // session.cpp) for the faults a game must tell apart.
  if (mentions(reason, "refused")) out.code = client_errc::connection_refused;
  else if (mentions(reason, "timed out") || mentions(reason, "nothing heard")) out.code = client_errc::timed_out;
  else if (mentions(reason, "authentication failed") || mentions(reason, "login has expired")) {
    out.code = client_errc::auth_failed;
  }
  return out;
}

network_stats::transport_kind transport_kind_of(server_url::scheme scheme) {
  switch (scheme) {
    case server_url::scheme::udp: return network_stats::transport_kind::udp;
    case server_url::scheme::tcp: return network_stats::transport_kind::tcp;
    case server_url::scheme::websocket: return network_stats::transport_kind::websocket;
  }
  return network_stats::transport_kind::none;
}

login_session login_from(const v1::AuthSession& session) {
  return {.user_id = session.user_id(), .username = session.username(), .access_token = session.token(),
          .refresh_token = session.refresh_token(), .expires_at_ms = session.expires_at_ms()};
}

channel_member member_from(const v1::Member& member) { return {member.user_id(), member.username()}; }

chat_message chat_from(const v1::ChatMessage& m) {
  return {.message_id = m.message_id(), .channel = m.channel(), .from_user_id = m.from_user_id(),
          .from_username = m.from_username(), .to_username = m.to_username(), .text = m.text(),
          .sent_at_ms = m.sent_at_ms()};
}

presence_event presence_from(const v1::PresenceEvent& event) {
  presence_event out{.channel = event.channel(), .member = member_from(event.member())};
  switch (event.kind()) {
    case v1::PresenceEvent::LEFT: out.what = presence_event::kind::left; break;
    case v1::PresenceEvent::OFFLINE: out.what = presence_event::kind::offline; break;
    case v1::PresenceEvent::ONLINE: out.what = presence_event::kind::online; break;
    default: out.what = presence_event::kind::joined; break;
  }
  return out;
}

history_page history_from(const v1::HistoryPage& page) {
  return {.messages = all<chat_message>(page.messages(), chat_from), .next_before_id = page.next_before_id()};
}

match_info match_info_from(const v1::MatchInfo& info) {
  match_info out{.match_id = info.match_id(), .game = info.game()};
  const int status = info.status();
  out.state = status >= 0 && status <= 4 ? static_cast<match_info::status>(status) : match_info::status::unspecified;
  out.players = all<match_player>(info.players(), [](const v1::Player& p) {
    return match_player{.user_id = p.user_id(), .username = p.username(), .bot = p.bot(), .rating = p.rating(),
                        .invited = {p.invited().begin(), p.invited().end()}};
  });
  out.to_move = info.to_move();
  out.ply = info.ply();
  out.rated = info.rated();
  out.winner = info.has_result() ? info.result().winner() : -1;
  out.result_reason = info.result().reason();
  out.draw_offered_by = info.draw_offered_by();
  out.clock_ms.assign(info.clock_ms().begin(), info.clock_ms().end());
  out.clock_at_ms = info.clock_at_ms();
  out.clock_running = info.clock_running();
  out.initial_ms = info.time_control().initial_ms();
  out.increment_ms = info.time_control().increment_ms();
  out.created_at_ms = info.created_at_ms();
  out.options.insert(info.options().begin(), info.options().end());
  return out;
}

move_record move_from(const v1::MoveRecord& m) {
  return {.ply = m.ply(), .seat = m.seat(), .move = m.move(), .display = m.display(), .at_ms = m.at_ms(),
          .clock_ms = m.clock_ms()};
}

match_snapshot match_snapshot_from(const v1::MatchSnapshot& s) {
  return {.info = match_info_from(s.info()), .your_seat = s.your_seat(), .view = s.view(),
          .moves = all<move_record>(s.moves(), move_from),
          .legal_moves = {s.legal_moves().begin(), s.legal_moves().end()}};
}

notification notification_from(const v1::Notification& n) {
  const int kind = n.kind();
  return {.notification_id = n.notification_id(),
          .what = kind >= 0 && kind <= 3 ? static_cast<notification::kind>(kind) : notification::kind::unspecified,
          .match_id = n.match_id(), .game = n.game(), .text = n.text(), .created_at_ms = n.created_at_ms()};
}

match_event match_event_from(const v1::MatchEvent& e) {
  const int kind = e.kind();
  return {.what = kind >= 0 && kind <= 7 ? static_cast<match_event::kind>(kind) : match_event::kind::unspecified,
          .info = match_info_from(e.info()), .move = move_from(e.move()), .view = e.view(),
          .legal_moves = {e.legal_moves().begin(), e.legal_moves().end()}};
}

leaderboard_page leaderboard_from(const v1::LeaderboardPage& page) {
  return {.game = page.game(), .entries = all<leaderboard_entry>(page.entries(), [](const v1::LeaderboardEntry& e) {
            return leaderboard_entry{.rank = e.rank(), .user_id = e.user_id(), .username = e.username(),
                                     .rating = e.rating(), .deviation = e.deviation(), .games = e.games(),
                                     .wins = e.wins(), .losses = e.losses(), .draws = e.draws()};
          })};
}

room_info room_info_from(const v1::RoomInfo& r) {
  return {.room_id = r.room_id(), .type = r.type(), .label = r.label(), .players = r.players(),
          .max_players = r.max_players(), .spectators = r.spectators(), .locked = r.locked(),
          .is_private = r.private_()};
}

room_member room_member_from(const v1::RoomMember& m) {
  return {.user_id = m.user_id(), .username = m.username(), .seat = m.seat(), .spectator = m.spectator(),
          .connected = m.connected()};
}

room_event room_event_from(const v1::RoomEvent& e) {
  room_event out{.room_id = e.room_id(), .seq = e.seq(), .type = e.type(), .payload = e.payload()};
  if (e.has_member_change()) {
    const int kind = e.member_change().kind();
    out.member_change = kind >= 1 && kind <= 4 ? static_cast<room_event::change>(kind) : room_event::change::none;
    out.member = room_member_from(e.member_change().member());
  }
  return out;
}

room_closed room_closed_from(const v1::RoomClosed& c) {
  const int reason = c.reason();
  return {.room_id = c.room_id(),
          .why = reason >= 0 && reason <= 5 ? static_cast<room_closed::reason>(reason) : room_closed::reason::unspecified,
          .message = c.message()};
}

matchmaker_ticket ticket_from(const v1::MatchmakerTicket& t) {
  return {.ticket = t.ticket(), .room_type = t.room_type(), .party = all<channel_member>(t.party(), member_from)};
}

matchmaker_matched matched_from(const v1::MatchmakerMatched& m) {
  return {.ticket = m.ticket(), .room_id = m.room_id(), .room_type = m.room_type(), .reservation = m.reservation(),
          .players = all<channel_member>(m.players(), member_from)};
}

room_schema public_schema(const world_schema& schema) {
  room_schema out;
  for (const auto& type : schema.types) {
    auto& kind = out.kinds.emplace_back(room_entity_kind{.name = type.name, .fields = {}});
    for (const auto& field : type.fields) kind.fields.push_back(field.name);
  }
  return out;
}

void fill_create_match(const match_settings& settings, v1::CreateMatch& out) {
  out.set_game(settings.game);
  for (const auto& [key, value] : settings.options) (*out.mutable_options())[key] = value;
  for (const auto& name : settings.invite) out.add_invite(name);
  if (settings.bot) {
    out.mutable_bot()->set_enabled(true);
    out.mutable_bot()->set_skill_level(settings.bot_skill_level);
  }
  out.set_rated(settings.rated);
  out.mutable_time_control()->set_initial_ms(settings.initial_ms);
  out.mutable_time_control()->set_increment_ms(settings.increment_ms);
  out.set_seat(static_cast<v1::SeatChoice>(settings.seat));
}

void fill_matchmaker_add(const matchmaker_request& request, v1::MatchmakerAdd& out) {
  out.set_room_type(request.room_type);
  for (const auto& [key, value] : request.string_properties) (*out.mutable_string_properties())[key] = value;
  for (const auto& [key, value] : request.numeric_properties) (*out.mutable_numeric_properties())[key] = value;
  for (const auto& [key, value] : request.query_equal) (*out.mutable_query()->mutable_equal())[key] = value;
  for (const auto& [key, range] : request.query_ranges) {
    auto& wire_range = (*out.mutable_query()->mutable_ranges())[key];
    wire_range.set_min(range.min);
    wire_range.set_max(range.max);
  }
  for (const auto& name : request.party) out.add_party(name);
  out.set_min_count(request.min_count);
  out.set_max_count(request.max_count);
}

}  // namespace guildhall::client::sdk
