// client_session's real-time room requests: check what the session itself knows (sizes, rates), then hand over
// to the rooms service. Inputs are the hot path: no database, no answer unless refused, and a flood is dropped
// here, on the connection's shard, before it costs any room a thing.
#include "base/refusals.hpp"
#include "server/client_session.hpp"
#include "services/rooms/room_metrics.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;
using services::rooms_service;

namespace {

// Input messages a connection may send per second, and in a burst. Above the fastest tick rate (128 Hz) with
// room for a client sending twice per tick; a client past it loses inputs, one far past it is closed.
constexpr double kInputMessagesPerSecond = 300;
constexpr double kInputBurst = 60;
// Input messages refused for rate in a row before the connection is closed as a flood (4005).
constexpr std::uint32_t kMaxInputsRefusedInARow = 600;

}  // namespace

void client_session::handle_create_room(std::uint32_t cid, v1::CreateRoom& request) {
  if (!within_rate(cid)) return;
  services_.rooms.create(*identity_, connection_, cid, std::move(request));
}

void client_session::handle_join_room(std::uint32_t cid, v1::JoinRoom& request) {
  if (!within_rate(cid)) return;
  services_.rooms.join(*identity_, connection_, cid, std::move(request));
}

void client_session::handle_list_rooms(std::uint32_t cid, v1::ListRooms& request) {
  if (!within_rate(cid)) return;
  services_.rooms.list(connection_, cid, std::move(request));
}

void client_session::handle_leave_room(std::uint32_t cid, const v1::LeaveRoom& request) {
  services_.rooms.leave(*identity_, connection_, cid, request.room_id());
}

void client_session::handle_room_input(std::uint32_t cid, v1::RoomInput& request) {
  if (!input_bucket_) input_bucket_.emplace(kInputMessagesPerSecond, kInputBurst, unix_now_ms());
  if (!input_bucket_->try_take(unix_now_ms())) {
    services::rooms_metrics().inputs_dropped.add(series(services::input_drop_reason::rate),
                                                 static_cast<std::uint64_t>(std::max(1, request.inputs_size())));
    if (++inputs_refused_in_a_row_ >= kMaxInputsRefusedInARow) {
      count_refusal(refusal_reason::flooding);
      connection_->close(wire::close_code::flooding, "room inputs far past the rate limit");
    }
    return;  // silently: answering a flood would double it
  }
  inputs_refused_in_a_row_ = 0;
  bool oversize = request.inputs_size() > rooms_service::kMaxInputsPerMessage;
  for (const auto& frame : request.inputs()) oversize = oversize || frame.data().size() > rooms_service::kMaxInputFrameBytes;
  if (oversize) {
    services::rooms_metrics().inputs_dropped.add(series(services::input_drop_reason::oversize));
    reply_error(cid, {errc::invalid_argument, "a RoomInput carries at most 8 inputs of at most 1024 bytes"});
    if (++bad_frames_ >= services_.max_bad_frames) {
      connection_->close(wire::close_code::protocol_violation, "too many oversized room inputs");
    }
    return;
  }
  services_.rooms.input(*identity_, connection_, cid, std::move(request));
}

void client_session::handle_room_message(std::uint32_t cid, v1::RoomMessage& request) {
  if (request.type().empty() || request.type().size() > rooms_service::kMaxMessageTypeBytes ||
      request.payload().size() > rooms_service::kMaxMessagePayloadBytes) {
    return reply_error(cid, {errc::invalid_argument, "a room message type is 1..32 bytes and its payload at most 4096"});
  }
  if (!within_rate(cid)) return;
  services_.rooms.message(*identity_, connection_, cid, std::move(request));
}

}  // namespace guildhall::server
