// The C++ SDK's side of the cross-SDK test (tests/cross_sdk/test_cross_sdk.py):
//   cross_sdk_cpp_peer SERVER_URL DEVICE_ID CHANNEL ROOM_ID
// logs in as a guest, joins CHANNEL and the room, then prints what it sees as JSON lines on stdout, in the shape
// every peer (C++, TypeScript, Python) prints, so the test compares them line for line:
//   {"event":"ready","username":"..."}
//   {"event":"chat","id":N,"from":"...","text":"..."}
//   {"event":"room","seq":N,"type":"...","payload":"..."}        (game events, not membership changes)
//   {"event":"snapshot","tick":T,"entities":[[id,kind,[fields...]],...]}   (entities by id)
//   {"event":"error","message":"..."}
// Commands, one per line on stdin: `say TEXT` (chat), `room-say TEXT` (a "say" room message), `quit`.
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <guildhall/client.hpp>
#include <string>
#include <thread>
#include <vector>

namespace gc = guildhall::client;

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void emit(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

void emit_error(const gc::client_error& e) {
  emit("{\"event\":\"error\",\"message\":" + quoted(std::string(gc::to_string(e.code)) + ": " + e.message) + "}");
}

// Shortest text that reads back as the same double ("50", "50.25"), as JavaScript and Python print numbers.
std::string number(double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return ec == std::errc() ? std::string(text, end) : "null";
}

std::string snapshot_line(const gc::room_snapshot& snapshot) {
  std::string line = "{\"event\":\"snapshot\",\"tick\":" + std::to_string(snapshot.tick) + ",\"entities\":[";
  for (std::size_t i = 0; i < snapshot.entities.size(); ++i) {
    const auto& entity = snapshot.entities[i];
    line += (i ? ",[" : "[") + std::to_string(entity.id) + "," + std::to_string(entity.kind) + ",[";
    for (std::size_t f = 0; f < entity.fields.size(); ++f) line += (f ? "," : "") + number(entity.fields[f]);
    line += "]]";
  }
  return line + "]}";
}

// Appends the complete lines stdin holds now to `lines`, without blocking; false once stdin is closed.
// Not std::getline on std::cin: that pulls every waiting line into stdin's buffer, where poll() no longer sees
// them, so a second command sent together with the first would wait for a third to arrive.
bool read_lines(std::string& pending, std::vector<std::string>& lines) {
  pollfd in{STDIN_FILENO, POLLIN, 0};
  if (::poll(&in, 1, 0) <= 0) return true;
  char chunk[4096];
  const ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
  if (got <= 0) return false;
  pending.append(chunk, static_cast<std::size_t>(got));
  for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
    lines.push_back(pending.substr(0, end));
    pending.erase(0, end + 1);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) return std::fprintf(stderr, "usage: cross_sdk_cpp_peer URL DEVICE_ID CHANNEL ROOM_ID\n"), 2;
  const std::string channel = argv[3];
  const std::uint64_t room_id = std::stoull(argv[4]);
  gc::client net({.server_url = argv[1]});
  bool running = true;
  bool failed = false;  // a step of the start-up failed: exit 1
  const auto fail = [&](const gc::client_error& e) {
    emit_error(e);
    running = false;
    failed = true;
  };
  net.set_handlers({
      .on_chat_message = [](const gc::chat_message& m) {
        emit("{\"event\":\"chat\",\"id\":" + std::to_string(m.message_id) + ",\"from\":" + quoted(m.from_username) +
             ",\"text\":" + quoted(m.text) + "}");
      },
      .on_room_snapshot = [](const gc::room_snapshot& s) { emit(snapshot_line(s)); },
      .on_room_event = [](const gc::room_event& e) {
        if (e.member_change != gc::room_event::change::none) return;
        emit("{\"event\":\"room\",\"seq\":" + std::to_string(e.seq) + ",\"type\":" + quoted(e.type) +
             ",\"payload\":" + quoted(e.payload) + "}");
      },
      .on_error = emit_error,
  });
  net.login_guest(argv[2], [&](gc::client_result<gc::login_session> login) {
    if (!login) return fail(login.error());
    net.connect([&](gc::client_result<gc::connected_info> me) {
      if (!me) return fail(me.error());
      net.join_channel(channel, [&, username = me->username](gc::client_result<gc::channel_joined> joined) {
        if (!joined) return fail(joined.error());
        net.join_room(room_id, [&, username](gc::client_result<gc::room_joined> room) {
          if (!room) return fail(room.error());
          emit("{\"event\":\"ready\",\"username\":" + quoted(username) + "}");
        });
      });
    });
  });
  std::string pending;
  std::vector<std::string> lines;
  while (running) {
    net.poll();
    lines.clear();
    if (!read_lines(pending, lines)) break;
    for (const auto& line : lines) {
      if (line == "quit") running = false;
      const auto space = line.find(' ');
      const std::string command = line.substr(0, space);
      const std::string text = space == std::string::npos ? "" : line.substr(space + 1);
      if (command == "say") {
        net.send_message(channel, text, [](gc::client_result<gc::message_sent> sent) {
          if (!sent) emit_error(sent.error());
        });
      } else if (command == "room-say") {
        net.send_room_message("say", text, [](gc::client_result<void> sent) {
          if (!sent) emit_error(sent.error());
        });
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return failed ? 1 : 0;
}
