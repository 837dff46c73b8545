// Logs in as a guest, joins a channel, says hello and waits in a game loop until its own line comes back (over UDP,
// the default transport), and follows the server's tick with the SDK's clock sync as a game would.
// Usage: sdk_consumer ws://127.0.0.1:9700/ws   Exit 0 on success; otherwise the error, and 1.
#include <chrono>
#include <cstdio>
#include <guildhall/client.hpp>
#include <thread>

namespace gc = guildhall::client;

int main(int argc, char** argv) {
  gc::client net({.server_url = argc > 1 ? argv[1] : "ws://127.0.0.1:9700/ws"});
  const std::string text = "hello from the SDK " GUILDHALL_CLIENT_VERSION_STRING;
  bool echoed = false;
  gc::clock_sync server_clock({.tick_ms = 50.0});
  server_clock.on_snapshot(100, 1000.0);  // a snapshot of tick 100 arrived at 1000 ms local time
  std::optional<gc::client_error> failed;
  const auto fail_on = [&](const gc::client_error& e) { failed = e; };
  net.set_handlers({.on_chat_message = [&](const gc::chat_message& m) { echoed = echoed || m.text == text; },
                    .on_error = fail_on});
  net.login_guest("sdk-consumer", [&](gc::client_result<gc::login_session> login) {
    if (!login) return fail_on(login.error());
    net.connect([&](gc::client_result<gc::connected_info> me) {
      if (!me) return fail_on(me.error());
      net.join_channel("sdk-consumer", [&](gc::client_result<gc::channel_joined> joined) {
        if (!joined) return fail_on(joined.error());
        net.send_message("sdk-consumer", text, [&](gc::client_result<gc::message_sent> sent) {
          if (!sent) fail_on(sent.error());
        });
      });
    });
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!echoed && !failed && std::chrono::steady_clock::now() < deadline) {
    net.poll();  // one frame
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (echoed && server_clock.server_tick_at(1050.0)) {
    return std::printf("ok: %s (library %s)\n", text.c_str(), gc::library_version()), 0;
  }
  std::fprintf(stderr, "sdk_consumer: %s\n", failed ? (std::string(gc::to_string(failed->code)) + ": " +
                                                      failed->message).c_str() : "timed out waiting for the echo");
  return 1;
}
