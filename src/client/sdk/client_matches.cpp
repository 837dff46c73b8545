// The turn-based match, leaderboard and matchmaker operations of guildhall::client::client.
#include "client/sdk/client_state.hpp"

namespace guildhall::client {

namespace {

auto snapshot_answer(const char* what) {
  return expect<match_snapshot>(what, [](auto& r) { return r.has_match_snapshot(); },
                                [](auto& r) { return sdk::match_snapshot_from(r.match_snapshot()); });
}

auto match_list_answer(const char* what) {
  return expect<std::vector<match_info>>(what, [](auto& r) { return r.has_match_list(); }, [](auto& r) {
    std::vector<match_info> matches;
    for (const auto& info : r.match_list().matches()) matches.push_back(sdk::match_info_from(info));
    return matches;
  });
}

v1::MatchAction::Kind wire_action(match_action action) {
  switch (action) {
    case match_action::resign: return v1::MatchAction::RESIGN;
    case match_action::offer_draw: return v1::MatchAction::OFFER_DRAW;
    case match_action::accept_draw: return v1::MatchAction::ACCEPT_DRAW;
    case match_action::decline_draw: return v1::MatchAction::DECLINE_DRAW;
    case match_action::abort: return v1::MatchAction::ABORT;
  }
  return v1::MatchAction::KIND_UNSPECIFIED;
}

}  // namespace

void client::create_match(match_settings settings, callback<match_snapshot> done) {
  v1::Envelope request;
  sdk::fill_create_match(settings, *request.mutable_create_match());
  state_->call<match_snapshot>(std::move(request), std::move(done), snapshot_answer("CreateMatch"));
}

void client::list_open_matches(std::string game, callback<std::vector<match_info>> done) {
  v1::Envelope request;
  request.mutable_list_open_matches()->set_game(std::move(game));
  state_->call<std::vector<match_info>>(std::move(request), std::move(done), match_list_answer("ListOpenMatches"));
}

void client::join_match(std::uint64_t match_id, callback<match_snapshot> done) {
  v1::Envelope request;
  request.mutable_join_match()->set_match_id(match_id);
  state_->call<match_snapshot>(std::move(request), std::move(done), snapshot_answer("JoinMatch"));
}

void client::open_match(std::uint64_t match_id, std::uint32_t after_ply, callback<match_snapshot> done) {
  v1::Envelope request;
  request.mutable_open_match()->set_match_id(match_id);
  request.mutable_open_match()->set_after_ply(after_ply);
  state_->call<match_snapshot>(std::move(request), std::move(done), snapshot_answer("OpenMatch"));
}

void client::make_move(std::uint64_t match_id, std::string move, std::optional<std::uint32_t> expected_ply,
                       callback<move_record> done) {
  v1::Envelope request;
  auto* make = request.mutable_make_move();
  make->set_match_id(match_id);
  make->set_move(std::move(move));
  if (expected_ply) make->set_ply(*expected_ply);
  state_->call<move_record>(std::move(request), std::move(done),
                            expect<move_record>("MakeMove", [](auto& r) { return r.has_move_accepted(); },
                                                [](auto& r) { return sdk::move_from(r.move_accepted().move()); }));
}

void client::act(std::uint64_t match_id, match_action action, callback<match_snapshot> done) {
  v1::Envelope request;
  request.mutable_match_action()->set_match_id(match_id);
  request.mutable_match_action()->set_kind(wire_action(action));
  state_->call<match_snapshot>(std::move(request), std::move(done), snapshot_answer("MatchAction"));
}

void client::leave_match(std::uint64_t match_id, callback<void> done) {
  v1::Envelope request;
  request.mutable_leave_match()->set_match_id(match_id);
  state_->call<void>(std::move(request), std::move(done),
                     expect<void>("LeaveMatch", [](auto& r) { return r.has_match_left(); }, [](auto&) {}));
}

void client::list_my_matches(bool include_finished, callback<std::vector<match_info>> done) {
  v1::Envelope request;
  request.mutable_list_my_matches()->set_include_finished(include_finished);
  state_->call<std::vector<match_info>>(std::move(request), std::move(done), match_list_answer("ListMyMatches"));
}

void client::acknowledge_notifications(std::vector<std::uint64_t> notification_ids, callback<void> done) {
  constexpr std::size_t kMaxIdsPerAck = 100;  // the server's bound per AckNotifications
  if (notification_ids.size() > kMaxIdsPerAck) {
    return state_->fail_later(std::move(done), {client_errc::invalid_options, "at most 100 notification ids per call",
                                                0, {}});
  }
  v1::Envelope request;
  for (const auto id : notification_ids) request.mutable_ack_notifications()->add_notification_ids(id);
  state_->call<void>(std::move(request), std::move(done),
                     expect<void>("AckNotifications", [](auto& r) { return r.has_notifications_acknowledged(); },
                                  [](auto&) {}));
}

void client::leaderboard(std::string game, std::string around_username, std::uint32_t limit,
                         callback<leaderboard_page> done) {
  v1::Envelope request;
  auto* get = request.mutable_get_leaderboard();
  get->set_game(std::move(game));
  get->set_around_username(std::move(around_username));
  get->set_limit(limit);
  state_->call<leaderboard_page>(
      std::move(request), std::move(done),
      expect<leaderboard_page>("GetLeaderboard", [](auto& r) { return r.has_leaderboard_page(); },
                               [](auto& r) { return sdk::leaderboard_from(r.leaderboard_page()); }));
}

void client::matchmaker_add(matchmaker_request wanted, callback<matchmaker_ticket> done) {
  v1::Envelope request;
  sdk::fill_matchmaker_add(wanted, *request.mutable_matchmaker_add());
  state_->call<matchmaker_ticket>(
      std::move(request), std::move(done),
      expect<matchmaker_ticket>("MatchmakerAdd", [](auto& r) { return r.has_matchmaker_ticket(); },
                                [](auto& r) { return sdk::ticket_from(r.matchmaker_ticket()); }));
}

void client::matchmaker_remove(std::uint64_t ticket, callback<void> done) {
  v1::Envelope request;
  request.mutable_matchmaker_remove()->set_ticket(ticket);
  state_->call<void>(std::move(request), std::move(done),
                     expect<void>("MatchmakerRemove", [](auto& r) { return r.has_matchmaker_removed(); },
                                  [](auto&) {}));
}

}  // namespace guildhall::client
