// `guildhall chat`: a terminal chat client on the C++ SDK's session, which keeps it connected (pings, reconnection
// with backoff). The network runs on its own thread; the main thread reads lines from the terminal and posts
// them over.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "cli/chat_lines.hpp"
#include "cli/commands.hpp"
#include "cli/line_input.hpp"
#include "cli/session_login.hpp"
#include "client/session.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;
namespace v1 = wire::v1;

namespace {

// History shown on joining and by /history.
constexpr std::uint32_t kHistoryShown = 20;
// Messages asked for per channel after a reconnect to show what was missed; more than that points to /history.
constexpr std::uint32_t kCatchUpLimit = 100;

std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Every member runs on the network thread, except print (any thread) and gave_up (after that thread ended).
class chat_terminal {
 public:
  chat_terminal(line_input& input, std::string channel) : channel_(std::move(channel)), input_(input) {}

  void attach(std::shared_ptr<client::session> session) { session_ = std::move(session); }
  bool gave_up() const { return gave_up_; }

  void print(const std::string& line) { input_.print(line); }

  void on_ready(const v1::Authenticated& me, bool reconnected) {
    me_ = me.username();
    if (!reconnected) {
      print("logged in as " + me_ + "; /join NAME, /dm USER TEXT, /who, /history, /quit");
      return join(channel_);
    }
    // Channel membership belongs to a connection: a new one starts in none.
    print("back");
    for (const auto& channel : joined_) rejoin(channel);
  }

  void on_lost(const client::retry_notice& notice) {
    const auto seconds = std::max<long long>(1, std::llround(static_cast<double>(notice.delay.count()) / 1000.0));
    const std::string when = std::to_string(seconds) + " s\u2026";
    if (notice.attempt == 1) return print("connection lost (" + notice.reason + "), reconnecting in " + when);
    print("still no connection (" + notice.reason + "), retrying in " + when);
  }

  void on_gave_up(const std::string& reason) {
    gave_up_ = true;
    print((me_.empty() ? "cannot connect: " : "gave up: ") + reason);
    input_.stop();
  }

  void on_push(const v1::Envelope& push) {
    if (push.has_chat_message()) return on_message(push.chat_message());
    if (push.has_presence()) {
      static const char* kWords[] = {"?", "joined", "left", "is online in", "went offline from"};
      const auto& event = push.presence();
      print("* " + event.member().username() + " " + kWords[event.kind()] + " " + event.channel());
    }
    if (push.has_error()) print("! " + v1::ErrorCode_Name(push.error().code()) + ": " + push.error().message());
  }

  // Runs one typed line on the network thread. False for /quit.
  bool handle_line(asio::io_context& io, const std::string& line) {
    if (line.empty()) return true;
    if (line == "/quit") return false;
    asio::post(io, [this, line] {
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
    });
    return true;
  }

 private:
  void on_message(const v1::ChatMessage& message) {
    if (const auto held = held_.find(message.channel()); held != held_.end()) {
      held->second.push_back(message);  // shown after the catch-up that is on its way, in order
      return;
    }
    note_seen(message);
    print(message_line(message, me_));
  }

  void note_seen(const v1::ChatMessage& message) {
    if (message.channel().empty()) return;
    auto& last = last_seen_[message.channel()];
    last = std::max(last, message.message_id());
  }

  // Prints an Error reply; true when `reply` was one.
  bool report_error(const v1::Envelope& reply) {
    if (!reply.has_error()) return false;
    if (client::is_local_failure(reply)) {
      print("! not done: " + reply.error().message());
    } else {
      print("! " + v1::ErrorCode_Name(reply.error().code()) + ": " + reply.error().message());
    }
    return true;
  }

  void request(v1::Envelope message, client::client_connection::reply_handler on_reply) {
    session_->request(std::move(message), std::move(on_reply));
  }

  void join(const std::string& channel) {
    v1::Envelope message;
    message.mutable_join_channel()->set_channel(channel);
    request(message, [this, channel](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      channel_ = channel;
      input_.set_prompt(chat_prompt(channel_));
      if (std::ranges::find(joined_, channel) == joined_.end()) joined_.push_back(channel);
      print("joined " + channel + " (" + std::to_string(reply.channel_joined().members_size()) + " here)");
      history(channel);
    });
  }

  // After a reconnect: join again, then show what was said while we were away. Live messages for the channel
  // are held until then, so that the screen stays in order and shows nothing twice.
  void rejoin(const std::string& channel) {
    held_[channel];
    v1::Envelope message;
    message.mutable_join_channel()->set_channel(channel);
    request(message, [this, channel](const v1::Envelope& reply) {
      if (report_error(reply)) return release_held(channel);
      catch_up(channel);
    });
  }

  void catch_up(const std::string& channel) {
    v1::Envelope message;
    message.mutable_channel_history()->set_channel(channel);
    message.mutable_channel_history()->set_limit(kCatchUpLimit);
    request(message, [this, channel](const v1::Envelope& reply) {
      if (!report_error(reply)) {
        const std::uint64_t since = last_seen_[channel];
        const auto& messages = reply.history_page().messages();  // newest first
        std::vector<const v1::ChatMessage*> missed;
        for (const auto& message : messages) {
          if (message.message_id() > since) missed.push_back(&message);
        }
        if (!missed.empty()) {
          print("missed in " + channel + (missed.size() == kCatchUpLimit ? " (the latest " + std::to_string(kCatchUpLimit) + "):" : ":"));
          for (auto it = missed.rbegin(); it != missed.rend(); ++it) {
            note_seen(**it);
            print(history_line(**it, me_, unix_now_ms()));
          }
          print(std::string(kLiveSeparator));
        }
      }
      release_held(channel);
    });
  }

  void release_held(const std::string& channel) {
    const auto held = held_.extract(channel);
    if (held.empty()) return;
    const std::uint64_t shown = last_seen_[channel];
    for (const auto& message : held.mapped()) {
      if (message.message_id() > shown) on_message(message);
    }
  }

  void history(const std::string& channel) {
    v1::Envelope message;
    message.mutable_channel_history()->set_channel(channel);
    message.mutable_channel_history()->set_limit(kHistoryShown);
    request(message, [this](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      const auto& messages = reply.history_page().messages();
      if (messages.empty()) return;  // nothing to set apart from what comes live
      for (auto it = messages.rbegin(); it != messages.rend(); ++it) {  // oldest first
        note_seen(*it);
        print(history_line(*it, me_, unix_now_ms()));
      }
      print(std::string(kLiveSeparator));
    });
  }

  void who() {
    v1::Envelope message;
    message.mutable_list_members()->set_channel(channel_);
    request(message, [this](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      std::string names;
      for (const auto& member : reply.member_list().members()) names += (names.empty() ? "" : ", ") + member.username();
      print("in " + channel_ + ": " + names);
    });
  }

  void say(const std::string& text) {
    v1::Envelope message;
    message.mutable_send_message()->set_channel(channel_);
    message.mutable_send_message()->set_text(text);
    request(message, [this](const v1::Envelope& reply) { report_error(reply); });
  }

  void direct(const std::string& to, const std::string& text) {
    v1::Envelope message;
    message.mutable_send_direct()->set_to_username(to);
    message.mutable_send_direct()->set_text(text);
    request(message, [this](const v1::Envelope& reply) { report_error(reply); });
  }

  std::shared_ptr<client::session> session_;
  std::string me_;
  std::string channel_;                // where a typed line goes
  std::vector<std::string> joined_;    // in the order joined: rejoined in that order after a reconnect
  std::map<std::string, std::uint64_t> last_seen_;  // newest message id shown per channel
  std::map<std::string, std::vector<v1::ChatMessage>> held_;  // channels catching up, and their live messages
  line_input& input_;
  bool gave_up_ = false;
};

}  // namespace

int run_chat(const chat_options& options) {
  auto login = sign_in(options.server, options.user, options.password, options.connection.timeout_ms, options.tls);
  if (!login) return login.error();

  asio::io_context io;
  // The prompt keeps a half-typed line in view while messages arrive above it.
  line_input input(line_input::editing::prompt);
  input.set_prompt(chat_prompt(options.channel));
  chat_terminal terminal(input, options.channel);
  auto session = std::make_shared<client::session>(
      io, login->url, login->session, session_options_from(options.connection),
      events_for(terminal));
  terminal.attach(session);
  asio::post(io, [&] { session->start(); });
  auto keep_running = asio::make_work_guard(io);
  std::thread network([&] { io.run(); });

  while (auto line = input.next_line()) {
    if (!terminal.handle_line(io, *line)) break;
  }
  asio::post(io, [&] { session->close(); });
  keep_running.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the close frame go out
  io.stop();
  network.join();
  return terminal.gave_up() ? 1 : 0;
}

}  // namespace guildhall::cli
