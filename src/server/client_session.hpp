#pragma once
// The protocol state of one client connection: decode each frame, insist on authentication first, count
// abuse, and dispatch each request to one handle_<request> that calls a service.
// Thread-safety: lives on its connection's shard (it is the connection's handler).
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "net/connection.hpp"
#include "services/auth/auth_service.hpp"
#include "services/chat/chat_service.hpp"
#include "services/rate_limiter.hpp"
#include "services/rooms/rooms_service.hpp"
#include "services/matchmaker/matchmaker_service.hpp"
#include "services/turns/turn_service.hpp"

namespace guildhall::server {

struct session_services {
  services::auth_service& auth;
  services::chat_service& chat;
  services::turn_service& turns;
  services::rooms_service& rooms;
  store::database& db;  // for admission: requests that would queue database work are refused when it is full
  std::uint32_t max_bad_frames;
  services::matchmaker_service* matchmaker = nullptr;  // none: matchmaker requests are UNKNOWN_REQUEST
};

class client_session final : public net::connection_handler {
 public:
  client_session(std::shared_ptr<net::connection> connection, session_services& services);

  void on_frame(std::string_view payload, wire::payload_format format) override;
  void on_closed() override;
  void on_authenticated_by_transport(const net::transport_identity& who) override;
  std::string log_user() const override { return identity_ ? identity_->username : std::string(); }

 private:
  using envelope = wire::v1::Envelope;

  void dispatch(envelope& request);
  void handle_authenticate(std::uint32_t cid, const wire::v1::Authenticate& request);
  // Authentication succeeded (Authenticate, or the transport's own): the services learn the connection, and the
  // client gets Authenticated (cid 0 when it asked nothing).
  void accept_identity(std::uint32_t cid, services::identity who, std::int64_t expires_at_ms);
  void handle_ping(std::uint32_t cid, const wire::v1::Ping& request);
  void handle_join(std::uint32_t cid, wire::v1::JoinChannel& request);
  void handle_leave(std::uint32_t cid, wire::v1::LeaveChannel& request);
  void handle_list_members(std::uint32_t cid, wire::v1::ListMembers& request);
  void handle_send_message(std::uint32_t cid, wire::v1::SendMessage& request);
  void handle_channel_history(std::uint32_t cid, wire::v1::ChannelHistory& request);
  void handle_send_direct(std::uint32_t cid, wire::v1::SendDirect& request);
  void handle_direct_history(std::uint32_t cid, wire::v1::DirectHistory& request);
  // client_session_matches.cpp
  void handle_create_match(std::uint32_t cid, wire::v1::CreateMatch& request);
  void handle_list_open_matches(std::uint32_t cid, wire::v1::ListOpenMatches& request);
  void handle_list_my_matches(std::uint32_t cid, const wire::v1::ListMyMatches& request);
  void handle_join_match(std::uint32_t cid, const wire::v1::JoinMatch& request);
  void handle_open_match(std::uint32_t cid, const wire::v1::OpenMatch& request);
  void handle_leave_match(std::uint32_t cid, const wire::v1::LeaveMatch& request);
  void handle_make_move(std::uint32_t cid, wire::v1::MakeMove& request);
  void handle_match_action(std::uint32_t cid, const wire::v1::MatchAction& request);
  void handle_get_leaderboard(std::uint32_t cid, wire::v1::GetLeaderboard& request);
  void handle_ack_notifications(std::uint32_t cid, const wire::v1::AckNotifications& request);
  // client_session_rooms.cpp
  void handle_create_room(std::uint32_t cid, wire::v1::CreateRoom& request);
  void handle_join_room(std::uint32_t cid, wire::v1::JoinRoom& request);
  void handle_list_rooms(std::uint32_t cid, wire::v1::ListRooms& request);
  void handle_leave_room(std::uint32_t cid, const wire::v1::LeaveRoom& request);
  void handle_room_input(std::uint32_t cid, wire::v1::RoomInput& request);
  void handle_room_message(std::uint32_t cid, wire::v1::RoomMessage& request);
  // client_session_matchmaker.cpp
  void handle_matchmaker_add(std::uint32_t cid, wire::v1::MatchmakerAdd& request);
  void handle_matchmaker_remove(std::uint32_t cid, const wire::v1::MatchmakerRemove& request);
  // Remembers a match whose events this connection may receive; false when it follows too many.
  bool follow(std::uint64_t match_id);

  // Spends one unit of the user's send budget; answers RATE_LIMITED (and closes a flooder) when there is none.
  bool within_rate(std::uint32_t cid);
  result<void> admit(wire::v1::Envelope::BodyCase request) const;
  void reply(const envelope& message);
  void reply_error(std::uint32_t cid, const error& failure);

  std::shared_ptr<net::connection> connection_;
  session_services& services_;
  std::optional<services::identity> identity_;
  std::set<std::string> channels_;  // joined through this connection
  std::set<std::uint64_t> matches_;  // created, joined or opened through this connection
  std::uint32_t bad_frames_ = 0;
  std::uint32_t rate_limited_in_a_row_ = 0;
  std::optional<services::token_bucket> input_bucket_;  // RoomInput messages; made on the first
  std::uint32_t inputs_refused_in_a_row_ = 0;
};

}  // namespace guildhall::server
