#include "server/client_session.hpp"

#include <spdlog/spdlog.h>

#include "base/ids.hpp"
#include "base/refusals.hpp"
#include "services/names.hpp"
#include "wire/wire_metrics.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;

client_session::client_session(std::shared_ptr<net::connection> connection, session_services& services)
    : connection_(std::move(connection)), services_(services) {}

void client_session::on_frame(std::string_view payload, wire::payload_format format) {
  auto decoded = wire::decode(payload, format);
  if (!decoded) {
    reply_error(wire::readable_cid(payload, format), decoded.error());
    if (++bad_frames_ >= services_.max_bad_frames) {
      connection_->close(wire::close_code::protocol_violation, "too many malformed frames");
    }
    return;
  }
  dispatch(*decoded);
}

void client_session::on_closed() {
  if (identity_) services_.rooms.disconnected(*identity_, connection_);
  if (identity_) {
    services_.turns.disconnected(*identity_, connection_, std::vector<std::uint64_t>(matches_.begin(), matches_.end()));
  }
  matches_.clear();
  if (identity_ && services_.matchmaker) services_.matchmaker->disconnected(*identity_);
  if (identity_) {
    services_.chat.disconnected(*identity_, connection_, std::vector<std::string>(channels_.begin(), channels_.end()));
  }
  channels_.clear();
}

void client_session::dispatch(envelope& request) {
  const std::uint32_t cid = request.cid();
  wire::count_request(request.body_case());
  if (request.body_case() == v1::Envelope::kPing) return handle_ping(cid, request.ping());
  if (request.body_case() == v1::Envelope::kAuthenticate) return handle_authenticate(cid, request.authenticate());
  if (!identity_) return reply_error(cid, {errc::unauthenticated, "send Authenticate first"});
  if (auto admitted = admit(request.body_case()); !admitted) return reply_error(cid, admitted.error());

  switch (request.body_case()) {
    case v1::Envelope::kJoinChannel: return handle_join(cid, *request.mutable_join_channel());
    case v1::Envelope::kLeaveChannel: return handle_leave(cid, *request.mutable_leave_channel());
    case v1::Envelope::kListMembers: return handle_list_members(cid, *request.mutable_list_members());
    case v1::Envelope::kSendMessage: return handle_send_message(cid, *request.mutable_send_message());
    case v1::Envelope::kChannelHistory: return handle_channel_history(cid, *request.mutable_channel_history());
    case v1::Envelope::kSendDirect: return handle_send_direct(cid, *request.mutable_send_direct());
    case v1::Envelope::kDirectHistory: return handle_direct_history(cid, *request.mutable_direct_history());
    case v1::Envelope::kCreateMatch: return handle_create_match(cid, *request.mutable_create_match());
    case v1::Envelope::kListOpenMatches: return handle_list_open_matches(cid, *request.mutable_list_open_matches());
    case v1::Envelope::kListMyMatches: return handle_list_my_matches(cid, request.list_my_matches());
    case v1::Envelope::kJoinMatch: return handle_join_match(cid, request.join_match());
    case v1::Envelope::kOpenMatch: return handle_open_match(cid, request.open_match());
    case v1::Envelope::kLeaveMatch: return handle_leave_match(cid, request.leave_match());
    case v1::Envelope::kMakeMove: return handle_make_move(cid, *request.mutable_make_move());
    case v1::Envelope::kMatchAction: return handle_match_action(cid, request.match_action());
    case v1::Envelope::kGetLeaderboard: return handle_get_leaderboard(cid, *request.mutable_get_leaderboard());
    case v1::Envelope::kAckNotifications: return handle_ack_notifications(cid, request.ack_notifications());
    case v1::Envelope::kCreateRoom: return handle_create_room(cid, *request.mutable_create_room());
    case v1::Envelope::kJoinRoom: return handle_join_room(cid, *request.mutable_join_room());
    case v1::Envelope::kListRooms: return handle_list_rooms(cid, *request.mutable_list_rooms());
    case v1::Envelope::kLeaveRoom: return handle_leave_room(cid, request.leave_room());
    case v1::Envelope::kRoomInput: return handle_room_input(cid, *request.mutable_room_input());
    case v1::Envelope::kRoomMessage: return handle_room_message(cid, *request.mutable_room_message());
    case v1::Envelope::kMatchmakerAdd: return handle_matchmaker_add(cid, *request.mutable_matchmaker_add());
    case v1::Envelope::kMatchmakerRemove: return handle_matchmaker_remove(cid, request.matchmaker_remove());
    default: return reply_error(cid, {errc::unknown_request, "not a request a client may send"});
  }
}

void client_session::handle_authenticate(std::uint32_t cid, const v1::Authenticate& request) {
  if (identity_) return reply_error(cid, {errc::already_authenticated, "this connection is already authenticated"});
  auto claims = services_.auth.verify_access_token(request.token(), unix_now_ms());
  if (!claims) {
    spdlog::warn("login failed: Authenticate on connection {} from {}: {}", connection_->id(),
                 connection_->remote_address(), claims.error().message);
    return reply_error(cid, claims.error());
  }

  accept_identity(cid, services::identity{claims->user_id, claims->username}, claims->expires_at_ms);
}

void client_session::on_authenticated_by_transport(const net::transport_identity& who) {
  accept_identity(0, services::identity{who.user_id, who.username}, who.expires_at_ms);
}

void client_session::accept_identity(std::uint32_t cid, services::identity who, std::int64_t expires_at_ms) {
  identity_ = std::move(who);
  connection_->mark_authenticated();
  services_.chat.connected(*identity_, connection_);
  services_.turns.connected(*identity_, connection_);
  if (services_.matchmaker) services_.matchmaker->connected(*identity_);
  envelope answer;
  answer.set_cid(cid);
  auto* body = answer.mutable_authenticated();
  body->set_user_id(identity_->user_id);
  body->set_username(identity_->username);
  body->set_expires_at_ms(expires_at_ms);
  body->set_session_id(connection_->id());
  reply(answer);
  services_.turns.deliver_stored_notifications(*identity_, connection_);
}

void client_session::handle_ping(std::uint32_t cid, const v1::Ping& request) {
  envelope answer;
  answer.set_cid(cid);
  answer.mutable_pong()->set_client_time_ms(request.client_time_ms());
  answer.mutable_pong()->set_server_time_ms(unix_now_ms());
  reply(answer);
}

void client_session::handle_join(std::uint32_t cid, v1::JoinChannel& request) {
  if (auto valid = services::validate_channel_name(request.channel()); !valid) return reply_error(cid, valid.error());
  if (!channels_.contains(request.channel()) && channels_.size() >= services_.chat.config().max_channels_per_connection) {
    return reply_error(cid, {errc::invalid_argument, "joined too many channels on this connection (at most " +
                                                   std::to_string(services_.chat.config().max_channels_per_connection) + ")"});
  }
  // Joining and leaving push presence to every member and rebuild the channel's delivery lists: they spend the
  // send budget like a message.
  if (!within_rate(cid)) return;
  channels_.insert(request.channel());
  services_.chat.join(*identity_, connection_, cid, std::move(*request.mutable_channel()));
}

void client_session::handle_leave(std::uint32_t cid, v1::LeaveChannel& request) {
  if (!channels_.contains(request.channel())) return reply_error(cid, {errc::not_member, "not in that channel"});
  if (!within_rate(cid)) return;
  channels_.erase(request.channel());
  services_.chat.leave(*identity_, connection_, cid, std::move(*request.mutable_channel()));
}

void client_session::handle_list_members(std::uint32_t cid, v1::ListMembers& request) {
  if (auto valid = services::validate_channel_name(request.channel()); !valid) return reply_error(cid, valid.error());
  if (!within_rate(cid)) return;
  services_.chat.list_members(connection_, cid, std::move(*request.mutable_channel()));
}

void client_session::handle_send_message(std::uint32_t cid, v1::SendMessage& request) {
  if (auto valid = services::validate_text(request.text(), services_.chat.config().max_message_bytes); !valid) {
    return reply_error(cid, valid.error());
  }
  if (!channels_.contains(request.channel())) return reply_error(cid, {errc::not_member, "join the channel first"});
  if (!within_rate(cid)) return;
  services_.chat.send_message(*identity_, connection_, cid, std::move(*request.mutable_channel()),
                              std::move(*request.mutable_text()));
}

void client_session::handle_channel_history(std::uint32_t cid, v1::ChannelHistory& request) {
  if (!channels_.contains(request.channel())) return reply_error(cid, {errc::not_member, "join the channel first"});
  if (!within_rate(cid)) return;  // a database read
  services_.chat.channel_history(connection_, cid, std::move(*request.mutable_channel()), request.before_id(),
                                 request.limit());
}

void client_session::handle_send_direct(std::uint32_t cid, v1::SendDirect& request) {
  if (auto valid = services::validate_username(request.to_username()); !valid) {
    return reply_error(cid, {errc::not_found, "no user named '" + request.to_username() + "'"});
  }
  if (auto valid = services::validate_text(request.text(), services_.chat.config().max_message_bytes); !valid) {
    return reply_error(cid, valid.error());
  }
  if (!within_rate(cid)) return;
  services_.chat.send_direct(*identity_, connection_, cid, std::move(*request.mutable_to_username()),
                             std::move(*request.mutable_text()));
}

void client_session::handle_direct_history(std::uint32_t cid, v1::DirectHistory& request) {
  if (auto valid = services::validate_username(request.with_username()); !valid) {
    return reply_error(cid, {errc::not_found, "no user named '" + request.with_username() + "'"});
  }
  if (!within_rate(cid)) return;  // database reads
  services_.chat.direct_history(*identity_, connection_, cid, std::move(*request.mutable_with_username()),
                                request.before_id(), request.limit());
}

// Requests that queue database work are refused at once (UNAVAILABLE, with a retry-after) while the queue they
// need is at its bound, before anything changes: never queued without limit.
result<void> client_session::admit(v1::Envelope::BodyCase request) const {
  switch (request) {
    case v1::Envelope::kChannelHistory:
    case v1::Envelope::kDirectHistory:
    case v1::Envelope::kListMyMatches:
    case v1::Envelope::kOpenMatch:
    case v1::Envelope::kGetLeaderboard: return services_.db.admit_read();
    case v1::Envelope::kSendMessage:
    case v1::Envelope::kSendDirect:
    case v1::Envelope::kCreateMatch:
    case v1::Envelope::kJoinMatch:
    case v1::Envelope::kMakeMove:
    case v1::Envelope::kMatchAction:
    case v1::Envelope::kAckNotifications: return services_.db.admit_write();
    default: return {};
  }
}

bool client_session::within_rate(std::uint32_t cid) {
  if (services_.chat.allow_send(identity_->user_id, unix_now_ms())) {
    rate_limited_in_a_row_ = 0;
    return true;
  }
  count_refusal(refusal_reason::rate_limited);
  reply_error(cid, {errc::rate_limited, "sending too fast: at most " +
                                            std::to_string(static_cast<int>(services_.chat.config().messages_per_second)) +
                                            " messages or match requests a second"});
  if (++rate_limited_in_a_row_ >= services_.chat.config().max_rate_limited_in_a_row) {
    count_refusal(refusal_reason::flooding);
    connection_->close(wire::close_code::flooding, "kept sending past the rate limit");
  }
  return false;
}

void client_session::reply(const envelope& message) {
  connection_->send(wire::encode_shared(message, connection_->format() == wire::payload_format::json));
}

void client_session::reply_error(std::uint32_t cid, const error& failure) { reply(wire::make_error(cid, failure)); }

}  // namespace guildhall::server
