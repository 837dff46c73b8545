// `guildhall chat`: a terminal chat client on the C++ SDK (<guildhall/client.hpp>), which keeps it connected
// (pings, reconnection with backoff, rejoining the channels). The SDK runs on a client_loop's thread; the main
// thread reads lines from the terminal and posts them over.
#include <chrono>
#include <iostream>
#include <map>

#include "cli/chat_lines.hpp"
#include "cli/client_loop.hpp"
#include "cli/client_setup.hpp"
#include "cli/commands.hpp"
#include "cli/line_input.hpp"

namespace guildhall::cli {

namespace {

// History shown on joining and by /history.
constexpr std::uint32_t kHistoryShown = 20;
// Messages asked for per channel after a reconnect to show what was missed; more than that points to /history.
constexpr std::uint32_t kCatchUpLimit = 100;

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string presence_words(client::presence_event::kind what) {
  switch (what) {
    case client::presence_event::kind::joined: return "joined";
    case client::presence_event::kind::left: return "left";
    case client::presence_event::kind::online: return "is online in";
    case client::presence_event::kind::offline: return "went offline from";
  }
  return "?";
}

using history_answer = client::client_result<client::history_page>;
using sent_answer = client::client_result<client::message_sent>;
using members_answer = client::client_result<std::vector<client::channel_member>>;

// Every member runs on the client loop's thread, except print (any thread) and exit_code (after that thread ended).
class chat_terminal {
 public:
  chat_terminal(line_input& input, std::string channel) : channel_(std::move(channel)), input_(input) {}

  int exit_code() const { return exit_code_; }
  void print(const std::string& line) { input_.print(line); }

  // On the loop's thread, before the first poll: log in, connect, then join the first channel.
  void begin(client::client& net, const std::string& user, const std::string& password) {
    net_ = &net;
    net.set_handlers({
        .on_connection = [this](const client::connection_event& event) { on_connection(event); },
        .on_chat_message = [this](const client::chat_message& message) { on_message(message); },
        .on_presence = [this](const client::presence_event& event) {
          print("* " + event.member.username + " " + presence_words(event.what) + " " + event.channel);
        },
        .on_error = [this](const client::client_error& error) { print("! " + describe_error(error)); },
    });
    log_in(net, user, password, [this](client::client_result<client::login_session> session) {
      if (!session) return end(login_exit_code(session.error()), "login failed: " + session.error().message);
      net_->connect([this](client::client_result<client::connected_info> me) {
        if (!me) return end(1, "cannot connect: " + me.error().message);
        me_ = me->username;
        print("logged in as " + me_ + "; /join NAME, /dm USER TEXT, /who, /history, /quit");
        join(channel_);
      });
    });
  }

  // Runs one typed line on the loop's thread.
  void handle_line(const std::string& line) {
    if (line.empty()) return;
    if (line.starts_with("/join ")) return join(line.substr(6));
    if (line == "/who") return who();
    if (line == "/history") return history(channel_);
    if (line.starts_with("/dm ")) {
      const auto space = line.find(' ', 4);
      if (space == std::string::npos) return print("usage: /dm USER TEXT");
      return direct(line.substr(4, space - 4), line.substr(space + 1));
    }
    if (line.starts_with("/")) return print("commands: /join NAME, /dm USER TEXT, /who, /history, /quit");
    say(line);
  }

 private:
  void on_connection(const client::connection_event& event) {
    using kind = client::connection_event::kind;
    switch (event.what) {
      case kind::disconnected: return;  // the first `reconnecting` says it, with when
      case kind::reconnecting: return print(describe_retry(event));
      case kind::reconnected:
        // The SDK has sent the rejoins already: show what was said while we were away.
        print("back");
        for (const auto& channel : joined_) catch_up(channel);
        return;
      case kind::gave_up: return end(1, "gave up: " + event.error.message);
    }
  }

  void end(int exit_code, const std::string& why) {
    exit_code_ = exit_code;
    print(why);
    input_.stop();
  }

  void on_message(const client::chat_message& message) {
    if (const auto held = held_.find(message.channel); held != held_.end()) {
      held->second.push_back(message);  // shown after the catch-up that is on its way, in order
      return;
    }
    note_seen(message);
    print(message_line(message, me_));
  }

  void note_seen(const client::chat_message& message) {
    if (message.channel.empty()) return;
    auto& last = last_seen_[message.channel];
    last = std::max(last, message.message_id);
  }

  // Prints a failed request's error; true when `answer` was one.
  template <typename T>
  bool report_error(const client::client_result<T>& answer) {
    if (answer) return false;
    print("! " + describe_error(answer.error()));
    return true;
  }

  void join(const std::string& channel) {
    net_->join_channel(channel, [this, channel](const client::client_result<client::channel_joined>& joined) {
      if (report_error(joined)) return;
      channel_ = channel;
      input_.set_prompt(chat_prompt(channel_));
      if (std::ranges::find(joined_, channel) == joined_.end()) joined_.push_back(channel);
      print("joined " + channel + " (" + std::to_string(joined->members.size()) + " here)");
      history(channel);
    });
  }

  // After a reconnect: show what was said while we were away. Live messages for the channel are held until then,
  // so that the screen stays in order and shows nothing twice.
  void catch_up(const std::string& channel) {
    held_[channel];
    net_->channel_history(channel, 0, kCatchUpLimit, [this, channel](const history_answer& page) {
      if (!report_error(page)) show_missed(channel, page->messages);
      release_held(channel);
    });
  }

  void show_missed(const std::string& channel, const std::vector<client::chat_message>& newest_first) {
    const std::uint64_t since = last_seen_[channel];
    std::vector<const client::chat_message*> missed;
    for (const auto& message : newest_first) {
      if (message.message_id > since) missed.push_back(&message);
    }
    if (missed.empty()) return;
    print("missed in " + channel +
          (missed.size() == kCatchUpLimit ? " (the latest " + std::to_string(kCatchUpLimit) + "):" : ":"));
    for (auto it = missed.rbegin(); it != missed.rend(); ++it) {
      note_seen(**it);
      print(history_line(**it, me_, unix_now_ms()));
    }
    print(std::string(kLiveSeparator));
  }

  void release_held(const std::string& channel) {
    const auto held = held_.extract(channel);
    if (held.empty()) return;
    const std::uint64_t shown = last_seen_[channel];
    for (const auto& message : held.mapped()) {
      if (message.message_id > shown) on_message(message);
    }
  }

  void history(const std::string& channel) {
    net_->channel_history(channel, 0, kHistoryShown, [this](const history_answer& page) {
      if (report_error(page)) return;
      const auto& messages = page->messages;
      if (messages.empty()) return;  // nothing to set apart from what comes live
      for (auto it = messages.rbegin(); it != messages.rend(); ++it) {  // oldest first
        note_seen(*it);
        print(history_line(*it, me_, unix_now_ms()));
      }
      print(std::string(kLiveSeparator));
    });
  }

  void who() {
    net_->channel_members(channel_, [this](const members_answer& members) {
      if (report_error(members)) return;
      std::string names;
      for (const auto& member : *members) names += (names.empty() ? "" : ", ") + member.username;
      print("in " + channel_ + ": " + names);
    });
  }

  void say(const std::string& text) {
    net_->send_message(channel_, text, [this](const sent_answer& sent) { report_error(sent); });
  }

  void direct(const std::string& to, const std::string& text) {
    net_->send_direct(to, text, [this](const sent_answer& sent) { report_error(sent); });
  }

  client::client* net_ = nullptr;
  std::string me_;                     // empty until connected
  std::string channel_;                // where a typed line goes
  std::vector<std::string> joined_;    // in the order joined: caught up in that order after a reconnect
  std::map<std::string, std::uint64_t> last_seen_;  // newest message id shown per channel
  std::map<std::string, std::vector<client::chat_message>> held_;  // channels catching up, and their live messages
  line_input& input_;
  int exit_code_ = 0;
};

}  // namespace

int run_chat(const chat_options& options) {
  auto client_options = client_options_from(options.server, options.connection, options.tls);
  if (!client_options) {
    std::cerr << client_options.error() << "\n";
    return 2;
  }
  // The prompt keeps a half-typed line in view while messages arrive above it.
  line_input input(line_input::editing::prompt);
  input.set_prompt(chat_prompt(options.channel));
  chat_terminal terminal(input, options.channel);
  client_loop loop;
  loop.start(std::move(*client_options),
             [&](client::client& net) { terminal.begin(net, options.user, options.password); });
  while (auto line = input.next_line()) {
    if (*line == "/quit") break;
    loop.post([&terminal, line = std::move(*line)] { terminal.handle_line(line); });
  }
  loop.stop();
  return terminal.exit_code();
}

}  // namespace guildhall::cli
