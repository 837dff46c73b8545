#include "bench/guildhall_fanout_member.hpp"

#include <unistd.h>

#include "bench/client_pump.hpp"
#include "bench/sdk_setup.hpp"

namespace guildhall::bench {
namespace sdk = guildhall::client;

namespace {

// A delivery waits at most this long in a member's socket before the member sees it: it adds up to 1 ms (0.5 on
// average) to the latencies, against the WebSocket reads of the Colyseus members, which wait for nothing.
constexpr std::chrono::microseconds kPollPeriod{1000};

class guildhall_member final : public fanout_member {
 public:
  guildhall_member(const sdk::client_options& options, client_pump& pump, std::string device, std::string channel,
                   fanout_member_events events)
      : client_(options), pump_(pump), device_(std::move(device)), channel_(std::move(channel)),
        events_(std::move(events)) {}
  ~guildhall_member() override { pump_.remove(client_); }

  // Handlers capture the member: the run keeps every member until its io_context is done, and the member's
  // destructor takes its client out of the pump, so no poll() runs after it is gone.
  void join(std::move_only_function<void(result<void>)> done) override {
    sdk::event_handlers handlers;
    handlers.on_chat_message = [on_delivery = events_.on_delivery](const sdk::chat_message& message) {
      if (const auto stamp = parse_stamp(message.text)) on_delivery(*stamp);
    };
    handlers.on_connection = [on_closed = events_.on_closed](const sdk::connection_event& event) {
      if (event.what == sdk::connection_event::kind::disconnected) on_closed(said(event.error, "connection lost"));
    };
    client_.set_handlers(std::move(handlers));
    pump_.add(client_);
    // The SDK's callbacks are copyable std::functions; `done` is not.
    auto shared_done = std::make_shared<std::move_only_function<void(result<void>)>>(std::move(done));
    sign_in(client_, device_, [this, shared_done](result<void> in) {
      if (!in) return (*shared_done)(std::unexpected(in.error()));
      client_.join_channel(channel_, [shared_done](sdk::client_result<sdk::channel_joined> joined) {
        if (!joined) return (*shared_done)(fail(errc::internal, said(joined.error(), "join channel")));
        (*shared_done)({});
      });
    });
  }

  void send(std::int64_t stamp_ns) override {
    client_.send_message(channel_, stamp_text(stamp_ns), [on_error = events_.on_error](
                                                             sdk::client_result<sdk::message_sent> sent) {
      if (!sent) on_error(said(sent.error(), "send"));
    });
  }

 private:
  sdk::client client_;
  client_pump& pump_;
  std::string device_;
  std::string channel_;
  fanout_member_events events_;
};

class guildhall_peer final : public fanout_peer {
 public:
  guildhall_peer(boost::asio::io_context& io, sdk::client_options options)
      : options_(std::move(options)), pump_(io, kPollPeriod) {}

  std::string_view name() const override { return "guildhall"; }

  std::shared_ptr<fanout_member> make_member(unsigned index, fanout_member_events events) override {
    return std::make_shared<guildhall_member>(options_, pump_,
                                              "cli-device-bench" + std::to_string(getpid()) + "x" + std::to_string(index),
                                              channel_, std::move(events));
  }

 private:
  sdk::client_options options_;
  client_pump pump_;
  // Named after this process so that two runs against one server never share a channel.
  std::string channel_ = "fanout-" + std::to_string(getpid());
};

}  // namespace

result<std::unique_ptr<fanout_peer>> make_guildhall_peer(boost::asio::io_context& io, const std::string& server,
                                                          const client::tls_options& tls) {
  auto options = sdk_options(server, tls);
  if (!options) return fail(errc::invalid_argument, "bad --server URL: " + server);
  return std::make_unique<guildhall_peer>(io, std::move(*options));
}

}  // namespace guildhall::bench
