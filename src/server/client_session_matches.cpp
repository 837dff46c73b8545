// client_session's turn-based requests: check what the session itself knows, then hand over to the turn service.
#include "server/client_session.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;
namespace {

// Enough for a player's games plus some spectating; stops one connection from subscribing to everything.
constexpr std::size_t kMaxMatchesPerConnection = 200;
// Bounds the database work of one acknowledgement; clients gather the ids of a burst into one request.
constexpr int kMaxAckedNotifications = 100;

error too_many_matches() {
  return {errc::invalid_argument,
          "this connection follows too many matches (at most " + std::to_string(kMaxMatchesPerConnection) + "): leave some"};
}

}  // namespace

bool client_session::follow(std::uint64_t match_id) {
  if (matches_.size() >= kMaxMatchesPerConnection && !matches_.contains(match_id)) return false;
  matches_.insert(match_id);
  return true;
}

// Requests that cost the server a database read or a visit to every shard spend the user's send budget (the
// chat rate limit), so a flood of them is refused like a flood of messages. Moves do not: turns pace them.

void client_session::handle_create_match(std::uint32_t cid, v1::CreateMatch& request) {
  if (!within_rate(cid)) return;
  if (matches_.size() >= kMaxMatchesPerConnection) {
    return reply_error(cid, too_many_matches());
  }
  follow(services_.turns.create_match(*identity_, connection_, cid, std::move(request)));
}

void client_session::handle_list_open_matches(std::uint32_t cid, v1::ListOpenMatches& request) {
  if (!within_rate(cid)) return;
  services_.turns.list_open_matches(*identity_, connection_, cid, std::move(*request.mutable_game()),
                                    request.subscribe());
}

void client_session::handle_list_my_matches(std::uint32_t cid, const v1::ListMyMatches& request) {
  if (!within_rate(cid)) return;
  services_.turns.list_my_matches(*identity_, connection_, cid, request.include_finished());
}

void client_session::handle_join_match(std::uint32_t cid, const v1::JoinMatch& request) {
  if (!within_rate(cid)) return;
  if (!follow(request.match_id())) return reply_error(cid, too_many_matches());
  services_.turns.join_match(*identity_, connection_, cid, request.match_id());
}

void client_session::handle_open_match(std::uint32_t cid, const v1::OpenMatch& request) {
  if (!within_rate(cid)) return;
  if (!follow(request.match_id())) return reply_error(cid, too_many_matches());
  services_.turns.open_match(*identity_, connection_, cid, request.match_id(), request.after_ply());
}

void client_session::handle_leave_match(std::uint32_t cid, const v1::LeaveMatch& request) {
  matches_.erase(request.match_id());
  services_.turns.leave_match(*identity_, connection_, cid, request.match_id());
}

void client_session::handle_make_move(std::uint32_t cid, v1::MakeMove& request) {
  if (request.move().empty() || request.move().size() > 64) {
    return reply_error(cid, {errc::illegal_move, "a move is 1..64 characters"});
  }
  services_.turns.make_move(*identity_, connection_, cid, request.match_id(), std::move(*request.mutable_move()),
                            request.has_ply() ? std::optional(request.ply()) : std::nullopt);
}

void client_session::handle_match_action(std::uint32_t cid, const v1::MatchAction& request) {
  services_.turns.act(*identity_, connection_, cid, request.match_id(), request.kind());
}

void client_session::handle_get_leaderboard(std::uint32_t cid, v1::GetLeaderboard& request) {
  if (!within_rate(cid)) return;
  services_.turns.leaderboard(connection_, cid, std::move(*request.mutable_game()),
                              std::move(*request.mutable_around_username()), request.limit());
}

void client_session::handle_ack_notifications(std::uint32_t cid, const v1::AckNotifications& request) {
  if (request.notification_ids_size() == 0 || request.notification_ids_size() > kMaxAckedNotifications) {
    return reply_error(cid, {errc::invalid_argument, "acknowledge 1..100 notifications at a time"});
  }
  if (!within_rate(cid)) return;
  services_.turns.acknowledge_notifications(
      *identity_, connection_, cid,
      std::vector<std::uint64_t>(request.notification_ids().begin(), request.notification_ids().end()));
}

}  // namespace guildhall::server
