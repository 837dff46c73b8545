// `guildhall play` during the match: news from the server, lines from the player, the clock's redraws.
#include "cli/play_session.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cmath>

#include "cli/match_render.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;

namespace {

// Rows under the frame kept for the latest notices and the prompt when the move list grows long.
constexpr std::size_t kRowsUnderFrame = 3;
constexpr std::size_t kMaxLegalMovesShown = 60;

// What the player may do now, in a few words before the cursor.
std::string prompt_for(const match_state& state) {
  if (state.empty()) return "finding a match (/quit gives up)";
  if (state.open()) {
    if (!invited_names(state.info()).empty()) return "waiting (/quit leaves, the invitation stays)";
    return "waiting for an opponent (/quit stops waiting)";
  }
  if (state.over()) return "game over (Enter or /quit leaves)";
  if (state.spectating()) return "watching (/quit leaves)";
  if (!state.my_turn()) return "opponent's turn (/help)";
  if (state.game() == "chess") return "your move (e2e4 or Nf3)";
  if (state.game() == "tictactoe") return "your move (0-8)";
  return "your move";
}

}  // namespace

std::int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

play_session::play_session(asio::io_context& io, play_plan plan, terminal_screen& screen, line_input& input)
    : plan_(std::move(plan)), screen_(screen), input_(input), tick_(io) {
  update_prompt();
}

void play_session::on_ready(const v1::Authenticated& me, bool reconnected) {
  if (!reconnected) return start(me);
  resume_after_reconnect(me);
}

// The server keeps the match; a new connection subscribes again with OpenMatch, and after_ply brings the moves
// played while we were away, so the board continues in place.
void play_session::resume_after_reconnect(const v1::Authenticated& me) {
  if (finished_) return;
  if (state_.empty()) {
    notice("back online; looking for the match again");
    return start(me);
  }
  v1::Envelope request;
  request.mutable_open_match()->set_match_id(state_.match_id());
  request.mutable_open_match()->set_after_ply(static_cast<std::uint32_t>(state_.moves().size()));
  session_->request(request, [this](const v1::Envelope& reply) {
    if (report_error(reply)) return;
    const std::size_t before = state_.moves().size();
    absorb(reply.match_snapshot());
    const std::size_t missed = state_.moves().size() - std::min(before, state_.moves().size());
    notice("back online" + (missed == 0 ? std::string() : ": " + std::to_string(missed) + (missed == 1 ? " move" : " moves") +
                                                       " played meanwhile"));
    render();
  });
}

void play_session::on_lost(const client::retry_notice& notice_of) {
  const auto seconds = std::max<long long>(1, std::llround(static_cast<double>(notice_of.delay.count()) / 1000.0));
  const std::string when = std::to_string(seconds) + " s\u2026";
  notice(notice_of.attempt == 1 ? "connection lost (" + notice_of.reason + "), reconnecting in " + when
                                : "still no connection (" + notice_of.reason + "), retrying in " + when);
  render();
}

void play_session::on_push(const v1::Envelope& push) {
  if (push.has_match_event()) return on_event(push.match_event());
  if (push.has_notification()) {
    const auto& note = push.notification();
    acknowledge(note.notification_id());
    constexpr std::size_t kMaxRememberedNotifications = 1'000;  // a repeat comes within one session
    if (shown_notifications_.size() >= kMaxRememberedNotifications) shown_notifications_.clear();
    if (!shown_notifications_.insert(note.notification_id()).second) return;
    // The board already says so.
    if (note.kind() == v1::Notification::GAME_OVER && note.match_id() == state_.match_id()) return;
    std::string line = "* " + note.text();
    if (note.match_id() != 0 && note.match_id() != state_.match_id()) {
      line += " (guildhall play " + note.game() + " --match " + std::to_string(note.match_id()) + ")";
    }
    return notice(line);
  }
  if (push.has_error()) notice("! " + push.error().message());
}

void play_session::acknowledge(std::uint64_t notification_id) {
  constexpr std::size_t kMaxIdsPerAck = 100;  // the server's bound per AckNotifications
  unacknowledged_.push_back(notification_id);
  if (unacknowledged_.size() > 1) return;  // the flush below is already posted
  asio::post(tick_.get_executor(), [this] {
    for (std::size_t from = 0; from < unacknowledged_.size(); from += kMaxIdsPerAck) {
      v1::Envelope request;
      const std::size_t to = std::min(unacknowledged_.size(), from + kMaxIdsPerAck);
      for (std::size_t i = from; i < to; ++i) request.mutable_ack_notifications()->add_notification_ids(unacknowledged_[i]);
      session_->request(request, [](const v1::Envelope&) {});  // a lost acknowledgement only means a repeat
    }
    unacknowledged_.clear();
  });
}

void play_session::absorb(const v1::MatchSnapshot& snapshot) {
  const bool was_over = state_.over();
  if (!state_.apply(snapshot, steady_now_ms())) reopen();
  if (!was_over && state_.over()) notice("game over: " + describe_result(state_));
}

void play_session::on_event(const v1::MatchEvent& event) {
  if (state_.empty() || event.info().match_id() != state_.match_id()) return;
  const v1::MatchInfo before = state_.info();
  const bool was_over = state_.over();
  if (!state_.apply(event, steady_now_ms())) reopen();
  announce(event, before);
  if (!was_over && state_.over()) notice("game over: " + describe_result(state_));
  confirming_resign_ = confirming_resign_ && state_.active();
  render();
}

// The news in words, for the notices under the board; a move speaks for itself on the board.
void play_session::announce(const v1::MatchEvent& event, const v1::MatchInfo& before) {
  const int me = state_.your_seat();
  switch (event.kind()) {
    case v1::MatchEvent::PLAYER_JOINED:
    case v1::MatchEvent::STARTED:
      for (int seat = 0; seat < state_.info().players_size() && seat < before.players_size(); ++seat) {
        if (before.players(seat).user_id() == 0 && state_.info().players(seat).user_id() != 0 && seat != me) {
          notice(state_.info().players(seat).username() + " joined");
        }
      }
      // Whoever joined last heard "you play" with the JoinMatch answer; the one who waited hears it now.
      if (event.kind() == v1::MatchEvent::STARTED && me >= 0 && before.status() == v1::MatchInfo::OPEN) {
        notice("the game starts: you play " + seat_label(state_.game(), me));
      }
      return;
    case v1::MatchEvent::DRAW_OFFERED:
      if (state_.draw_offered_by() >= 0 && state_.draw_offered_by() != me) {
        notice(player_name(state_, state_.draw_offered_by()) + " offers a draw");
      }
      return;
    case v1::MatchEvent::DRAW_DECLINED: {
      const int offered_by = before.draw_offered_by();
      if (offered_by == me) notice("your draw offer was declined");
      else if (offered_by >= 0 && me >= 0) notice("you declined the draw");
      return;
    }
    case v1::MatchEvent::PLAYER_LEFT:
      for (int seat = 0; seat < before.players_size() && seat < state_.info().players_size(); ++seat) {
        if (before.players(seat).user_id() != 0 && state_.info().players(seat).user_id() == 0) {
          notice(before.players(seat).username() + " left");
        }
      }
      return;
    default: return;
  }
}

// A gap in the moves (an event we never got): ask for what we missed. One request at a time, so an answer that
// still leaves a gap cannot start a loop.
void play_session::reopen() {
  if (std::exchange(reopening_, true)) return;
  v1::Envelope request;
  request.mutable_open_match()->set_match_id(state_.match_id());
  request.mutable_open_match()->set_after_ply(static_cast<std::uint32_t>(state_.moves().size()));
  session_->request(request, [this](const v1::Envelope& reply) {
    if (!report_error(reply)) absorb(reply.match_snapshot());
    reopening_ = false;
    render();
  });
}

void play_session::on_typed(std::string typed, std::size_t cursor) { screen_.typed(std::move(typed), cursor); }

void play_session::on_line(const std::string& line) {
  if (finished_) return;
  screen_.typed({}, 0);
  const auto typed = parse_typed_line(line);
  const bool confirming = std::exchange(confirming_resign_, false);
  if (typed.is == typed_line::kind::quit) return quit();
  if (state_.empty()) return notice("still looking for the match: /quit gives up");
  switch (typed.is) {
    case typed_line::kind::empty:
      if (state_.over()) return quit();  // the prompt says Enter leaves once the game is over
      return;
    case typed_line::kind::move: return send_move(typed.text);
    case typed_line::kind::resign:
      if (confirming) return act(v1::MatchAction::RESIGN);
      confirming_resign_ = true;
      return notice("resign this game? type /resign again to confirm");
    case typed_line::kind::draw:
      return act(state_.draw_offered_by() >= 0 && state_.draw_offered_by() != state_.your_seat()
                     ? v1::MatchAction::ACCEPT_DRAW
                     : v1::MatchAction::OFFER_DRAW);
    case typed_line::kind::decline: return act(v1::MatchAction::DECLINE_DRAW);
    case typed_line::kind::abort: return act(v1::MatchAction::ABORT);
    case typed_line::kind::help: return show_help();
    case typed_line::kind::moves: return show_legal_moves();
    case typed_line::kind::unknown: return notice("unknown command " + typed.text + ": /help lists them");
    case typed_line::kind::quit: return;
  }
}

// `ply` is the number of moves we have seen: a move typed against a position that has changed since is refused
// by the server instead of being played somewhere the player did not mean.
void play_session::send_move(const std::string& move) {
  v1::Envelope request;
  auto* make = request.mutable_make_move();
  make->set_match_id(state_.match_id());
  make->set_move(move);
  make->set_ply(static_cast<std::uint32_t>(state_.moves().size()));
  session_->request(request, [this, move](const v1::Envelope& reply) {
    if (reply.has_error()) notice("! " + move + ": " + reply.error().message());
  });
}

void play_session::act(v1::MatchAction::Kind kind) {
  v1::Envelope request;
  request.mutable_match_action()->set_match_id(state_.match_id());
  request.mutable_match_action()->set_kind(kind);
  session_->request(request, [this](const v1::Envelope& reply) {
    if (report_error(reply)) return;
    // The answer is a snapshot without moves; the event that every subscriber gets follows it anyway.
    if (reply.has_match_snapshot()) absorb(reply.match_snapshot());
    render();
  });
}

void play_session::show_help() {
  notice("moves: " + std::string(state_.game() == "chess" ? "UCI (e2e4, e7e8q) or SAN (Nf3, O-O)" : "the cell number, 0-8"));
  notice("/draw offers a draw or accepts one, /decline refuses it, /resign, /abort (before both have moved)");
  notice("/moves lists your legal moves, /quit leaves (the game and its clock go on: --match " +
         std::to_string(state_.match_id()) + " resumes)");
}

void play_session::show_legal_moves() {
  if (state_.legal_moves().empty()) return notice("the server sends your legal moves when it is your turn");
  std::string line = "legal moves:";
  std::size_t shown = 0;
  for (const auto& move : state_.legal_moves()) {
    if (shown++ == kMaxLegalMovesShown) {
      line += " ...";
      break;
    }
    line += " " + move;
  }
  notice(line);
}

void play_session::quit() {
  if (finished_) return;
  if (state_.open() && !state_.spectating()) {
    if (!invited_names(state_.info()).empty()) {
      return finish(0, "your invitation stands; to cancel it, /abort in " + resume_hint());
    }
    return leave_open_match();
  }
  if (state_.active() && !state_.spectating()) {
    return finish(0, "the game goes on and so does your clock: resume with " + resume_hint());
  }
  finish(0, "");
}

// Nobody waits for a player who left: a public open match we leave is cancelled rather than started without us.
void play_session::leave_open_match() {
  v1::Envelope request;
  request.mutable_leave_match()->set_match_id(state_.match_id());
  session_->request(request, [this](const v1::Envelope& reply) {
    finish(0, reply.has_error() ? "could not cancel match: " + reply.error().message() : "stopped waiting: match cancelled");
  });
}

void play_session::on_gave_up(const std::string& reason) {
  const std::string what = my_username_.empty() ? "cannot connect: " : "gave up: ";
  finish(1, what + reason + (state_.empty() || state_.over() ? "" : "; resume with " + resume_hint()));
}

std::string play_session::resume_hint() const {
  return "guildhall play " + plan_.game + " --match " + std::to_string(state_.match_id());
}

void play_session::render(bool clock_tick) {
  if (finished_) return;
  const std::size_t rows = screen_.rows();
  const match_render_options options{.unicode = plan_.unicode,
                                     .max_rows = rows > kRowsUnderFrame + 1 ? rows - kRowsUnderFrame : 1};
  if (!state_.empty()) screen_.show(render_match(state_, steady_now_ms(), options), clock_tick);
  update_prompt();
  if (!clock_tick) schedule_tick();
}

// Once a second while a clock runs, timed to when the shown second changes.
void play_session::schedule_tick() {
  tick_.cancel();
  const auto wait_ms = state_.next_tick_ms(steady_now_ms());
  if (!wait_ms) return;
  tick_.expires_after(std::chrono::milliseconds(*wait_ms + 1));
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    render(true);
    schedule_tick();
  });
}

void play_session::update_prompt() { screen_.prompt(prompt_for(state_) + " > "); }

bool play_session::report_error(const v1::Envelope& reply) {
  if (!reply.has_error()) return false;
  notice("! " + reply.error().message());
  return true;
}

void play_session::notice(std::string line) { screen_.notice(std::move(line)); }

void play_session::finish(int exit_code, std::string farewell) {
  if (finished_) return;
  finished_ = true;
  tick_.cancel();
  screen_.close();
  if (!farewell.empty()) input_.print(farewell);
  exit_code_.set_value(exit_code);
  input_.stop();
}

}  // namespace guildhall::cli
