// `guildhall chat`: a terminal chat client on the C++ SDK. The network runs on its own thread; the main thread
// reads lines from the terminal and posts them over.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/line_input.hpp"
#include "cli/session_login.hpp"
#include "client/client_connection.hpp"

namespace guildhall::cli {
namespace asio = boost::asio;
namespace v1 = wire::v1;

namespace {

class chat_terminal {
 public:
  chat_terminal(asio::io_context& io, std::shared_ptr<client::client_connection> connection, std::string channel,
                line_input& input)
      : io_(io), connection_(std::move(connection)), channel_(std::move(channel)), input_(input) {}

  void print(const std::string& line) { input_.print(line); }

  void show(const v1::ChatMessage& message) {
    const std::string where = message.channel().empty() ? "dm" : message.channel();
    print("[" + where + "] " + message.from_username() + ": " + message.text());
  }

  void on_push(const v1::Envelope& push) {
    if (push.has_chat_message()) return show(push.chat_message());
    if (push.has_presence()) {
      static const char* kWords[] = {"?", "joined", "left", "is online in", "went offline from"};
      const auto& event = push.presence();
      print("* " + event.member().username() + " " + kWords[event.kind()] + " " + event.channel());
    }
    if (push.has_error()) print("! " + v1::ErrorCode_Name(push.error().code()) + ": " + push.error().message());
  }

  // Prints an Error reply; true when `reply` was one.
  bool report_error(const v1::Envelope& reply) {
    if (!reply.has_error()) return false;
    print("! " + v1::ErrorCode_Name(reply.error().code()) + ": " + reply.error().message());
    return true;
  }

  void join(const std::string& channel) {
    v1::Envelope request;
    request.mutable_join_channel()->set_channel(channel);
    connection_->request(request, [this, channel](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      channel_ = channel;
      print("joined " + channel + " (" + std::to_string(reply.channel_joined().members_size()) + " here)");
      history();
    });
  }

  void history() {
    v1::Envelope request;
    request.mutable_channel_history()->set_channel(channel_);
    request.mutable_channel_history()->set_limit(20);
    connection_->request(request, [this](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      const auto& messages = reply.history_page().messages();
      for (auto it = messages.rbegin(); it != messages.rend(); ++it) show(*it);  // oldest first
    });
  }

  void who() {
    v1::Envelope request;
    request.mutable_list_members()->set_channel(channel_);
    connection_->request(request, [this](const v1::Envelope& reply) {
      if (report_error(reply)) return;
      std::string names;
      for (const auto& member : reply.member_list().members()) names += (names.empty() ? "" : ", ") + member.username();
      print("in " + channel_ + ": " + names);
    });
  }

  void say(const std::string& text) {
    v1::Envelope request;
    request.mutable_send_message()->set_channel(channel_);
    request.mutable_send_message()->set_text(text);
    connection_->request(request, [this](const v1::Envelope& reply) { report_error(reply); });
  }

  void direct(const std::string& to, const std::string& text) {
    v1::Envelope request;
    request.mutable_send_direct()->set_to_username(to);
    request.mutable_send_direct()->set_text(text);
    connection_->request(request, [this](const v1::Envelope& reply) { report_error(reply); });
  }

  // Runs one typed line on the network thread. False for /quit.
  bool handle_line(const std::string& line) {
    if (line.empty()) return true;
    if (line == "/quit") return false;
    asio::post(io_, [this, line] {
      if (line.starts_with("/join ")) return join(line.substr(6));
      if (line == "/who") return who();
      if (line == "/history") return history();
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
  asio::io_context& io_;
  std::shared_ptr<client::client_connection> connection_;
  std::string channel_;  // used on the network thread only
  line_input& input_;
};

}  // namespace

int run_chat(const chat_options& options) {
  auto login = sign_in(options.server, options.user, options.password, options.tls);
  if (!login) return login.error();

  asio::io_context io;
  // The prompt keeps a half-typed line in view while messages arrive above it.
  line_input input(line_input::editing::prompt);
  auto connection = std::make_shared<client::client_connection>(io, login->url);
  chat_terminal terminal(io, connection, options.channel, input);
  connection->on_push([&](const v1::Envelope& push) { terminal.on_push(push); });
  connection->on_closed([&](const std::string& reason) {
    terminal.print("disconnected: " + reason);
    input.stop();
  });
  connection->connect([&](result<void> connected) {
    if (!connected) {
      terminal.print("cannot connect: " + connected.error().message);
      input.stop();
      return;
    }
    v1::Envelope hello;
    hello.mutable_authenticate()->set_token(login->session.token());
    connection->request(hello, [&](const v1::Envelope& reply) {
      if (terminal.report_error(reply)) return connection->close();
      terminal.print("logged in as " + reply.authenticated().username() + "; /join NAME, /dm USER TEXT, /who, /history, /quit");
      terminal.join(options.channel);
    });
  });
  auto keep_running = asio::make_work_guard(io);
  std::thread network([&] { io.run(); });

  while (auto line = input.next_line()) {
    if (!terminal.handle_line(*line)) break;
  }
  asio::post(io, [&] { connection->close(); });
  keep_running.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the close frame go out
  io.stop();
  network.join();
  return 0;
}

}  // namespace guildhall::cli
