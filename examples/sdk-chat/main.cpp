// sdk-chat SERVER_URL CHANNEL NAME: logs in as guest NAME, joins CHANNEL and prints what is said there; each line
// typed on stdin is sent. Shows the SDK's shape: callbacks for answers, handlers for events, poll() per frame.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <guildhall/client.hpp>
#include <iostream>
#include <string>
#include <thread>

namespace gc = guildhall::client;

namespace {

void complain(const gc::client_error& e) {
  std::fprintf(stderr, "! %s: %s\n", std::string(gc::to_string(e.code)).c_str(), e.message.c_str());
}

// An operation failed: say why and end the loop.
void quit(bool& running, const gc::client_error& e) {
  complain(e);
  running = false;
}

// Whether stdin has a line ready: the loop never blocks, as a game's frame may not.
bool line_ready() {
  pollfd in{STDIN_FILENO, POLLIN, 0};
  return ::poll(&in, 1, 0) > 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return std::fprintf(stderr, "usage: sdk-chat ws://HOST:PORT/ws CHANNEL NAME\n"), 2;
  const std::string channel = argv[2];
  gc::client net({.server_url = argv[1]});
  bool running = true;
  net.set_handlers({
      .on_connection = [&](const gc::connection_event& e) {
        if (e.what == gc::connection_event::kind::reconnected) std::printf("* back\n");
        else if (e.what == gc::connection_event::kind::gave_up) quit(running, e.error);
        else if (e.what == gc::connection_event::kind::disconnected) complain(e.error);
      },
      .on_chat_message = [](const gc::chat_message& m) {
        std::printf("<%s> %s\n", m.from_username.c_str(), m.text.c_str());
      },
      .on_presence = [](const gc::presence_event& p) {
        std::printf("* %s %s\n", p.member.username.c_str(),
                    p.what == gc::presence_event::kind::joined ? "joined" : "left");
      },
  });
  net.login_guest(argv[3], [&](gc::client_result<gc::login_session> login) {
    if (!login) return quit(running, login.error());
    net.connect([&](gc::client_result<gc::connected_info> me) {
      if (!me) return quit(running, me.error());
      net.join_channel(channel, [&](gc::client_result<gc::channel_joined> joined) {
        if (!joined) return quit(running, joined.error());
        std::printf("* in #%s as %s, %zu here\n", channel.c_str(), me->username.c_str(), joined->members.size());
      });
    });
  });
  std::string line;
  while (running) {
    net.poll();
    if (line_ready()) {
      if (!std::getline(std::cin, line)) break;
      net.send_message(channel, line, [](gc::client_result<gc::message_sent> sent) {
        if (!sent) complain(sent.error());
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}
