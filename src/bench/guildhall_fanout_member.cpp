#include "bench/guildhall_fanout_member.hpp"

#include <unistd.h>

#include "cli/session_login.hpp"
#include "client/client_connection.hpp"

namespace guildhall::bench {
namespace v1 = wire::v1;

namespace {

class guildhall_member final : public fanout_member {
 public:
  guildhall_member(boost::asio::io_context& io, const client::server_url& url, std::string user, std::string channel,
                   fanout_member_events events)
      : connection_(std::make_shared<client::client_connection>(io, url)),
        url_(url),
        user_(std::move(user)),
        channel_(std::move(channel)),
        events_(std::move(events)) {}

  // The login is a blocking HTTP call (as in every CLI command); the rest is asynchronous. Handlers capture the
  // connection and copies of the callbacks, never the member, so no handler outlives what it uses.
  void join(std::move_only_function<void(result<void>)> done) override {
    auto session = cli::log_in(url_, user_, "");
    if (!session) return done(fail(session.error().code, "login failed: " + session.error().message));
    connection_->on_push([on_delivery = events_.on_delivery](const v1::Envelope& push) {
      if (!push.has_chat_message()) return;
      if (const auto stamp = parse_stamp(push.chat_message().text())) on_delivery(*stamp);
    });
    connection_->on_closed(events_.on_closed);
    connection_->connect([connection = connection_, channel = channel_, token = session->token(),
                          done = std::move(done)](result<void> connected) mutable {
      if (!connected) return done(std::unexpected(connected.error()));
      v1::Envelope hello;
      hello.mutable_authenticate()->set_token(token);
      connection->request(hello, [connection, channel, done = std::move(done)](const v1::Envelope& reply) mutable {
        if (reply.has_error()) return done(fail(errc::auth_failed, "authenticate: " + reply.error().message()));
        v1::Envelope join;
        join.mutable_join_channel()->set_channel(channel);
        connection->request(join, [done = std::move(done)](const v1::Envelope& reply) mutable {
          if (reply.has_error()) return done(fail(errc::internal, "join channel: " + reply.error().message()));
          done({});
        });
      });
    });
  }

  void send(std::int64_t stamp_ns) override {
    v1::Envelope request;
    request.mutable_send_message()->set_channel(channel_);
    request.mutable_send_message()->set_text(stamp_text(stamp_ns));
    connection_->request(request, [on_error = events_.on_error](const v1::Envelope& reply) {
      if (reply.has_error()) on_error(reply.error().message());
    });
  }

 private:
  std::shared_ptr<client::client_connection> connection_;
  client::server_url url_;
  std::string user_;
  std::string channel_;
  fanout_member_events events_;
};

class guildhall_peer final : public fanout_peer {
 public:
  guildhall_peer(boost::asio::io_context& io, client::server_url url) : io_(io), url_(std::move(url)) {}

  std::string_view name() const override { return "guildhall"; }

  std::shared_ptr<fanout_member> make_member(unsigned index, fanout_member_events events) override {
    return std::make_shared<guildhall_member>(
        io_, url_, "bench" + std::to_string(getpid()) + "x" + std::to_string(index), channel_, std::move(events));
  }

 private:
  boost::asio::io_context& io_;
  client::server_url url_;
  // Named after this process so that two runs against one server never share a channel.
  std::string channel_ = "fanout-" + std::to_string(getpid());
};

}  // namespace

result<std::unique_ptr<fanout_peer>> make_guildhall_peer(boost::asio::io_context& io, const std::string& server,
                                                          const client::tls_options& tls) {
  auto url = client::parse_server_url(server);
  if (!url) return std::unexpected(url.error());
  url->tls = tls;
  return std::make_unique<guildhall_peer>(io, std::move(*url));
}

}  // namespace guildhall::bench
