#include "cli/client_loop.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace guildhall::cli {
namespace asio = boost::asio;

client_loop::client_loop() : keep_running_(asio::make_work_guard(io_)) {}

client_loop::~client_loop() { stop(); }

void client_loop::start(client::client_options options, std::function<void(client::client&)> begin) {
  thread_ = std::thread([this, options = std::move(options), begin = std::move(begin)]() mutable {
    run(std::move(options), std::move(begin));
  });
}

void client_loop::post(std::function<void()> work) { asio::post(io_, std::move(work)); }

// The client is made, polled and destroyed on this thread only, as the SDK asks.
void client_loop::run(client::client_options options, std::function<void(client::client&)> begin) {
  client::client net(std::move(options));
  begin(net);
  asio::steady_timer timer(io_);
  std::chrono::steady_clock::time_point close_by{};
  std::function<void()> tick = [&] {
    net.poll();
    if (stopping_ && close_by == std::chrono::steady_clock::time_point{}) {
      net.disconnect();
      close_by = std::chrono::steady_clock::now() + kCloseGrace;
    }
    if (stopping_ && std::chrono::steady_clock::now() >= close_by) return io_.stop();
    timer.expires_after(kPollInterval);
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  tick();
  io_.run();
  net.poll();  // the last completions (pending requests end as `closed`) run before the client goes
}

void client_loop::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] { stopping_ = true; });
  thread_.join();
}

}  // namespace guildhall::cli
