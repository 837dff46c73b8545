#pragma once
// Turn-based requests over blocking_client, for the match tests.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "blocking_client.hpp"

namespace guildhall::testing {

struct match_options {
  std::string game = "tictactoe";
  v1::SeatChoice seat = v1::SEAT_FIRST;
  std::vector<std::string> invite;
  bool bot = false;
  bool rated = false;
  std::uint32_t initial_ms = 0;
  std::uint32_t increment_ms = 0;
  std::map<std::string, std::string> game_options;
};

inline v1::Envelope create_match(blocking_client& client, const match_options& options = {}) {
  v1::Envelope request;
  auto* create = request.mutable_create_match();
  create->set_game(options.game);
  create->set_seat(options.seat);
  for (const auto& name : options.invite) create->add_invite(name);
  create->mutable_bot()->set_enabled(options.bot);
  create->mutable_bot()->set_move_time_ms(options.bot ? 50 : 0);
  create->set_rated(options.rated);
  create->mutable_time_control()->set_initial_ms(options.initial_ms);
  create->mutable_time_control()->set_increment_ms(options.increment_ms);
  for (const auto& [key, value] : options.game_options) (*create->mutable_options())[key] = value;
  return client.call(request);
}

inline v1::Envelope join_match(blocking_client& client, std::uint64_t match_id) {
  v1::Envelope request;
  request.mutable_join_match()->set_match_id(match_id);
  return client.call(request);
}

inline v1::Envelope open_match(blocking_client& client, std::uint64_t match_id, std::uint32_t after_ply = 0) {
  v1::Envelope request;
  request.mutable_open_match()->set_match_id(match_id);
  request.mutable_open_match()->set_after_ply(after_ply);
  return client.call(request);
}

// `ply`: the moves seen, for the staleness check; without it the server plays the move on whatever is current.
inline v1::Envelope play(blocking_client& client, std::uint64_t match_id, const std::string& move,
                         std::optional<std::uint32_t> ply = std::nullopt) {
  v1::Envelope request;
  request.mutable_make_move()->set_match_id(match_id);
  request.mutable_make_move()->set_move(move);
  if (ply) request.mutable_make_move()->set_ply(*ply);
  return client.call(request);
}

inline v1::Envelope act(blocking_client& client, std::uint64_t match_id, v1::MatchAction::Kind kind) {
  v1::Envelope request;
  request.mutable_match_action()->set_match_id(match_id);
  request.mutable_match_action()->set_kind(kind);
  return client.call(request);
}

// The next MatchEvent push, skipping other pushes (presence, notifications).
inline std::optional<v1::MatchEvent> next_event(blocking_client& client, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto push = client.next_push(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!push) return std::nullopt;
    if (push->has_match_event()) return push->match_event();
  }
  return std::nullopt;
}

// Acknowledges notifications as a client does once it has shown them; returns how many the server deleted.
inline std::uint32_t ack_notifications(blocking_client& client, const std::vector<std::uint64_t>& ids) {
  v1::Envelope request;
  for (const auto id : ids) request.mutable_ack_notifications()->add_notification_ids(id);
  const auto answer = client.call(request);
  EXPECT_TRUE(answer.has_notifications_acknowledged()) << answer.DebugString();
  return answer.notifications_acknowledged().deleted();
}

// The next notification push, acknowledged (and answered) before it is returned, as a real client would once it
// has shown it; delivery is at least once, so `seen` (when given) skips ids already returned.
inline std::optional<v1::Notification> next_notification(blocking_client& client,
                                                         std::chrono::milliseconds timeout = 5s,
                                                         std::set<std::uint64_t>* seen = nullptr) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto push = client.next_push(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!push) return std::nullopt;
    if (!push->has_notification()) continue;
    const auto id = push->notification().notification_id();
    if (seen && id != 0 && !seen->insert(id).second) continue;
    if (id != 0) ack_notifications(client, {id});
    return push->notification();
  }
  return std::nullopt;
}

// A signed-in client of a fresh account.
inline blocking_client signed_in(transport kind, std::uint16_t tcp_port, std::uint16_t http_port,
                                 const std::string& username, const std::string& password = "long enough") {
  const auto session = register_user(http_port, username, password);
  blocking_client client(kind, kind == transport::tcp ? tcp_port : http_port);
  client.authenticate(session.token());
  return client;
}

}  // namespace guildhall::testing
