#pragma once
// The SDK client of a terminal command on a thread of its own. The SDK works only inside poll() and lives on one
// thread (guildhall/client/client.hpp); a terminal command's main thread waits for keys. This loop makes the client
// on its thread, polls it every kPollInterval, and runs there what the main thread posts (typed lines): every SDK
// callback and event therefore runs on the loop's thread, and so does everything that touches the client.
//
//   client_loop loop;
//   loop.start(options, [&](client::client& net) { ... log in, set handlers ... });   // runs on the loop's thread
//   while (auto line = input.next_line()) loop.post([line] { ... });
//   loop.stop();   // disconnects, lets the close go out, joins the thread
//
// Thread-safety: start, post and stop from one thread (the terminal's); `io()` for timers of the loop's thread.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <guildhall/client.hpp>
#include <thread>

namespace guildhall::cli {

class client_loop {
 public:
  // Often enough that a typed line or a server push shows without a felt delay, rarely enough to cost nothing.
  static constexpr std::chrono::milliseconds kPollInterval{10};
  // After disconnect(), how long the loop goes on polling so the close frame leaves before the process ends.
  static constexpr std::chrono::milliseconds kCloseGrace{200};

  client_loop();
  ~client_loop();
  client_loop(const client_loop&) = delete;
  client_loop& operator=(const client_loop&) = delete;

  // Starts the thread; there it makes the client (the options must be valid: see client::validate) and calls
  // `begin` with it before the first poll. The client lives until the thread ends.
  void start(client::client_options options, std::function<void(client::client&)> begin);
  // Runs `work` on the loop's thread, between two polls.
  void post(std::function<void()> work);
  // Disconnects the client, polls for kCloseGrace more, then ends the thread and waits for it. Idempotent.
  void stop();

  boost::asio::io_context& io() { return io_; }

 private:
  void run(client::client_options options, std::function<void(client::client&)> begin);

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running_;
  std::thread thread_;
  bool stopping_ = false;  // the loop's thread only
};

}  // namespace guildhall::cli
