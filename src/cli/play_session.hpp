#pragma once
// One run of `guildhall play` after login: find or create the match (play_matchmaking.cpp), then play it
// (play_session.cpp): fold the server's snapshots and events into a match_state, redraw on news and once a
// second while a clock runs, and turn typed lines into moves and match actions.
// Thread-safety: every member runs on the client loop's thread (client_loop.hpp), where the SDK calls back; the
// terminal thread posts typed lines there.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <future>
#include <guildhall/client.hpp>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "cli/line_input.hpp"
#include "cli/match_requests.hpp"
#include "cli/match_state.hpp"
#include "cli/terminal_screen.hpp"

namespace guildhall::cli {

// Local steady time in milliseconds, for match_state's clocks.
std::int64_t steady_now_ms();

// The command line, checked.
struct play_plan {
  std::string game;
  opponent against;
  std::optional<time_control> clock;  // as given; a new match without it gets the game's default
  client::match_settings::seat_choice seat = client::match_settings::seat_choice::any;
  bool rated = false;
  std::uint64_t match_id = 0;  // --match: resume or watch this one instead of finding one
  bool unicode = false;
};

class play_session {
 public:
  play_session(boost::asio::io_context& io, play_plan plan, terminal_screen& screen, line_input& input);
  // On the loop's thread, before its first poll: log in and connect, then find or create the match and play it.
  void begin(client::client& net, const std::string& user, const std::string& password);
  void on_typed(std::string typed, std::size_t cursor);
  void on_line(const std::string& line);
  // The player is leaving (/quit, end of input): stop waiting in a public open match, else just go.
  void quit();
  // The process's exit code, set once the session has finished.
  std::future<int> finished() { return exit_code_.get_future(); }

 private:
  // play_matchmaking.cpp
  void start();
  void open_by_id(std::uint64_t match_id);
  void resume_or(std::function<void()> otherwise);
  void seek_open_match(match_list candidates);
  void after_seek_failed();
  void look_for_invitation();
  void join(std::uint64_t match_id, std::function<void()> on_refused);
  void create();
  void enter(const client::match_snapshot& snapshot);

  // play_session.cpp
  // The SDK's events: the connection's life (a loss, a retry, back, gave up), match news, notifications.
  void on_connection(const client::connection_event& event);
  void on_notification(const client::notification& note);
  // Folds an answer; says so when it ends the game; asks for missed moves.
  void absorb(const client::match_snapshot& snapshot);
  void on_event(const client::match_event& event);
  void announce(const client::match_event& event, const client::match_info& before);
  void reopen();
  void resume_after_reconnect();
  void send_move(const std::string& move);
  void act(client::match_action action);
  void leave_open_match();
  void show_help();
  void show_legal_moves();
  void render(bool clock_tick = false);
  void schedule_tick();
  void update_prompt();
  // Prints a failed answer as a notice; true when `answer` was one.
  template <typename T>
  bool report_error(const client::client_result<T>& answer) {
    if (answer) return false;
    notice("! " + answer.error().message);
    return true;
  }
  void notice(std::string line);
  // Tells the server a notification was shown, in one request per burst (each request spends the rate budget).
  void acknowledge(std::uint64_t notification_id);
  void finish(int exit_code, std::string farewell);
  std::string resume_hint() const;

  client::client* net_ = nullptr;
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
