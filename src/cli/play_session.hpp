#pragma once
// One run of `guildhall play` after login: find or create the match (play_matchmaking.cpp), then play it
// (play_session.cpp): fold the server's snapshots and events into a match_state, redraw on news and once a
// second while a clock runs, and turn typed lines into moves and match actions.
// Thread-safety: every member runs on the io_context's thread; the terminal thread posts typed lines there.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "cli/line_input.hpp"
#include "cli/match_requests.hpp"
#include "cli/match_state.hpp"
#include "cli/terminal_screen.hpp"
#include "client/session.hpp"

namespace guildhall::cli {

// Local steady time in milliseconds, for match_state's clocks.
std::int64_t steady_now_ms();

// The command line, checked.
struct play_plan {
  std::string game;
  opponent against;
  std::optional<v1::TimeControl> time_control;  // as given; a new match without it gets the game's default
  v1::SeatChoice seat = v1::SEAT_ANY;
  bool rated = false;
  std::uint64_t match_id = 0;  // --match: resume or watch this one instead of finding one
  bool unicode = false;
};

class play_session {
 public:
  play_session(boost::asio::io_context& io, play_plan plan, terminal_screen& screen, line_input& input);
  void attach(std::shared_ptr<client::session> session) { session_ = std::move(session); }

  // The session's events (client/session.hpp). Authenticated the first time: find or create the match, then
  // play it; back after a lost connection: reopen the match where we were, with the moves we missed.
  void on_ready(const v1::Authenticated& me, bool reconnected);
  void on_lost(const client::retry_notice& notice);
  void on_gave_up(const std::string& reason);
  void on_push(const v1::Envelope& push);
  void on_typed(std::string typed, std::size_t cursor);
  void on_line(const std::string& line);
  // The player is leaving (/quit, end of input): stop waiting in a public open match, else just go.
  void quit();
  // The process's exit code, set once the session has finished.
  std::future<int> finished() { return exit_code_.get_future(); }

 private:
  // play_matchmaking.cpp
  void start(const v1::Authenticated& me);
  void open_by_id(std::uint64_t match_id);
  void resume_or(std::move_only_function<void()> otherwise);
  void seek_open_match(v1::MatchList candidates);
  void after_seek_failed();
  void look_for_invitation();
  void join(std::uint64_t match_id, std::move_only_function<void(const v1::Error&)> on_refused);
  void create();
  void begin(const v1::MatchSnapshot& snapshot);

  // play_session.cpp
  // Folds an answer; says so when it ends the game; asks for missed moves.
  void absorb(const v1::MatchSnapshot& snapshot);
  void on_event(const v1::MatchEvent& event);
  void announce(const v1::MatchEvent& event, const v1::MatchInfo& before);
  void reopen();
  void resume_after_reconnect(const v1::Authenticated& me);
  void send_move(const std::string& move);
  void act(v1::MatchAction::Kind kind);
  void leave_open_match();
  void show_help();
  void show_legal_moves();
  void render(bool clock_tick = false);
  void schedule_tick();
  void update_prompt();
  // Prints an Error reply as a notice; true when `reply` was one.
  bool report_error(const v1::Envelope& reply);
  void notice(std::string line);
  // Tells the server a notification was shown, in one request per burst (each request spends the rate budget).
  void acknowledge(std::uint64_t notification_id);
  void finish(int exit_code, std::string farewell);
  std::string resume_hint() const;

  std::shared_ptr<client::session> session_;
  play_plan plan_;
  terminal_screen& screen_;
  line_input& input_;
  boost::asio::steady_timer tick_;
  std::uint64_t my_user_id_ = 0;
  std::string my_username_;
  match_state state_;
  bool confirming_resign_ = false;
  bool reopening_ = false;  // an OpenMatch for missed moves is on its way
  bool finished_ = false;
  std::unordered_set<std::uint64_t> shown_notifications_;  // delivery is at least once: show each id once
  std::vector<std::uint64_t> unacknowledged_;               // shown, acknowledgement not yet sent
  std::promise<int> exit_code_;
};

}  // namespace guildhall::cli
