// `guildhall play` during the match: news from the server, lines from the player, the clock's redraws.
#include "cli/play_session.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "cli/client_setup.hpp"
#include "cli/match_render.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;

namespace {

using snapshot_answer = client::client_result<client::match_snapshot>;

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

void play_session::begin(client::client& net, const std::string& user, const std::string& password) {
  net_ = &net;
  net.set_handlers({
      .on_connection = [this](const client::connection_event& event) { on_connection(event); },
      .on_match_event = [this](const client::match_event& event) { on_event(event); },
      .on_notification = [this](const client::notification& note) { on_notification(note); },
      .on_error = [this](const client::client_error& error) { notice("! " + error.message); },
  });
  log_in(net, user, password, [this](const client::client_result<client::login_session>& session) {
    if (!session) return finish(login_exit_code(session.error()), "login failed: " + session.error().message);
    net_->connect([this](const client::client_result<client::connected_info>& me) {
      if (!me) return finish(1, "cannot connect: " + me.error().message);
      my_user_id_ = me->user_id;
      my_username_ = me->username;
      start();
    });
  });
}

void play_session::on_connection(const client::connection_event& event) {
  using kind = client::connection_event::kind;
  switch (event.what) {
    case kind::disconnected: return;  // the first `reconnecting` says it, with when
    case kind::reconnecting:
      notice(describe_retry(event));
      return render();
    case kind::reconnected: return resume_after_reconnect();
    case kind::gave_up:
      return finish(1, "gave up: " + event.error.message +
                           (state_.empty() || state_.over() ? "" : "; resume with " + resume_hint()));
  }
}

// The server keeps the match; a new connection subscribes again with open_match, and after_ply brings the moves
// played while we were away, so the board continues in place.
void play_session::resume_after_reconnect() {
  if (finished_) return;
  if (state_.empty()) {
    notice("back online; looking for the match again");
    return start();
  }
  const auto after_ply = static_cast<std::uint32_t>(state_.moves().size());
  net_->open_match(state_.match_id(), after_ply, [this](const snapshot_answer& snapshot) {
    if (report_error(snapshot)) return;
    const std::size_t before = state_.moves().size();
    absorb(*snapshot);
    const std::size_t missed = state_.moves().size() - std::min(before, state_.moves().size());
    notice("back online" + (missed == 0 ? std::string() : ": " + std::to_string(missed) + (missed == 1 ? " move" : " moves") +
                                                       " played meanwhile"));
    render();
  });
}

void play_session::on_notification(const client::notification& note) {
  acknowledge(note.notification_id);
  constexpr std::size_t kMaxRememberedNotifications = 1'000;  // a repeat comes within one session
  if (shown_notifications_.size() >= kMaxRememberedNotifications) shown_notifications_.clear();
  if (!shown_notifications_.insert(note.notification_id).second) return;
  // The board already says so.
  if (note.what == client::notification::kind::game_over && note.match_id == state_.match_id()) return;
  std::string line = "* " + note.text;
  if (note.match_id != 0 && note.match_id != state_.match_id()) {
    line += " (guildhall play " + note.game + " --match " + std::to_string(note.match_id) + ")";
  }
  notice(line);
}

void play_session::acknowledge(std::uint64_t notification_id) {
  constexpr std::size_t kMaxIdsPerAck = 100;  // the server's bound per acknowledgement
  unacknowledged_.push_back(notification_id);
  if (unacknowledged_.size() > 1) return;  // the flush below is already posted
  asio::post(tick_.get_executor(), [this] {
    for (std::size_t from = 0; from < unacknowledged_.size(); from += kMaxIdsPerAck) {
      const std::size_t to = std::min(unacknowledged_.size(), from + kMaxIdsPerAck);
      std::vector<std::uint64_t> ids(unacknowledged_.begin() + static_cast<std::ptrdiff_t>(from),
                                     unacknowledged_.begin() + static_cast<std::ptrdiff_t>(to));
      net_->acknowledge_notifications(std::move(ids), [](client::client_result<void>) {});  // lost: only a repeat
    }
    unacknowledged_.clear();
  });
}

void play_session::absorb(const client::match_snapshot& snapshot) {
  const bool was_over = state_.over();
  if (!state_.apply(snapshot, steady_now_ms())) reopen();
  if (!was_over && state_.over()) notice("game over: " + describe_result(state_));
}

void play_session::on_event(const client::match_event& event) {
  if (state_.empty() || event.info.match_id != state_.match_id()) return;
  const client::match_info before = state_.info();
  const bool was_over = state_.over();
  if (!state_.apply(event, steady_now_ms())) reopen();
  announce(event, before);
  if (!was_over && state_.over()) notice("game over: " + describe_result(state_));
  confirming_resign_ = confirming_resign_ && state_.active();
  render();
}

// The news in words, for the notices under the board; a move speaks for itself on the board.
void play_session::announce(const client::match_event& event, const client::match_info& before) {
  using kind = client::match_event::kind;
  const int me = state_.your_seat();
  const auto& now = state_.info().players;
  const std::size_t seats = std::min(now.size(), before.players.size());
  switch (event.what) {
    case kind::player_joined:
    case kind::started:
      for (std::size_t seat = 0; seat < seats; ++seat) {
        if (before.players[seat].user_id == 0 && now[seat].user_id != 0 && static_cast<int>(seat) != me) {
          notice(now[seat].username + " joined");
        }
      }
      // Whoever joined last heard "you play" with the join answer; the one who waited hears it now.
      if (event.what == kind::started && me >= 0 && before.state == client::match_info::status::open) {
        notice("the game starts: you play " + seat_label(state_.game(), me));
      }
      return;
    case kind::draw_offered:
      if (state_.draw_offered_by() >= 0 && state_.draw_offered_by() != me) {
        notice(player_name(state_, state_.draw_offered_by()) + " offers a draw");
      }
      return;
    case kind::draw_declined: {
      const int offered_by = before.draw_offered_by;
      if (offered_by == me) notice("your draw offer was declined");
      else if (offered_by >= 0 && me >= 0) notice("you declined the draw");
      return;
    }
    case kind::player_left:
      for (std::size_t seat = 0; seat < seats; ++seat) {
        if (before.players[seat].user_id != 0 && now[seat].user_id == 0) {
          notice(before.players[seat].username + " left");
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
  const auto after_ply = static_cast<std::uint32_t>(state_.moves().size());
  net_->open_match(state_.match_id(), after_ply, [this](const snapshot_answer& snapshot) {
    if (!report_error(snapshot)) absorb(*snapshot);
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
      if (confirming) return act(client::match_action::resign);
      confirming_resign_ = true;
      return notice("resign this game? type /resign again to confirm");
    case typed_line::kind::draw:
      return act(state_.draw_offered_by() >= 0 && state_.draw_offered_by() != state_.your_seat()
                     ? client::match_action::accept_draw
                     : client::match_action::offer_draw);
    case typed_line::kind::decline: return act(client::match_action::decline_draw);
    case typed_line::kind::abort: return act(client::match_action::abort);
    case typed_line::kind::help: return show_help();
    case typed_line::kind::moves: return show_legal_moves();
    case typed_line::kind::unknown: return notice("unknown command " + typed.text + ": /help lists them");
    case typed_line::kind::quit: return;
  }
}

// `ply` is the number of moves we have seen: a move typed against a position that has changed since is refused
// by the server instead of being played somewhere the player did not mean.
void play_session::send_move(const std::string& move) {
  const auto seen = static_cast<std::uint32_t>(state_.moves().size());
  net_->make_move(state_.match_id(), move, seen, [this, move](const client::client_result<client::move_record>& made) {
    if (!made) notice("! " + move + ": " + made.error().message);
  });
}

void play_session::act(client::match_action action) {
  net_->act(state_.match_id(), action, [this](const snapshot_answer& snapshot) {
    if (report_error(snapshot)) return;
    // The answer is a snapshot without moves; the event that every subscriber gets follows it anyway.
    absorb(*snapshot);
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
  net_->leave_match(state_.match_id(), [this](const client::client_result<void>& left) {
    finish(0, left ? "stopped waiting: match cancelled" : "could not cancel match: " + left.error().message);
  });
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
