#include "client/message_connection.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <vector>

namespace guildhall::client {
namespace asio = boost::asio;

v1::Envelope local_failure(std::string message) {
  v1::Envelope reply;
  reply.mutable_error()->set_code(v1::ERROR_CODE_UNSPECIFIED);
  reply.mutable_error()->set_message(std::move(message));
  return reply;
}

bool is_local_failure(const v1::Envelope& reply) {
  return reply.has_error() && reply.error().code() == v1::ERROR_CODE_UNSPECIFIED;
}

message_connection::message_connection(asio::io_context& io, server_url url, connection_options options)
    : io_(io), url_(std::move(url)), options_(options), request_timer_(io), keepalive_timer_(io) {}

std::string message_connection::where() const { return url_.host + ":" + std::to_string(url_.port); }

void message_connection::start_session() {
  open_ = true;
  last_sent_ = last_received_ = clock::now();
  keep_alive();
}

void message_connection::request(v1::Envelope message, reply_handler on_reply) {
  if (!open_) return complete_locally(std::move(on_reply), "not connected to " + where());
  const std::uint32_t cid = next_cid_++;
  if (next_cid_ == 0) next_cid_ = 1;
  message.set_cid(cid);
  pending_.emplace(cid, std::move(on_reply));
  if (options_.request_timeout_ms != 0) {
    deadlines_.emplace_back(clock::now() + std::chrono::milliseconds(options_.request_timeout_ms), cid);
    arm_request_timer();
  }
  transmit(message);
}

bool message_connection::notify(v1::Envelope message) {
  if (!open_) return false;
  message.clear_cid();
  transmit(message);
  return true;
}

void message_connection::complete_locally(reply_handler on_reply, std::string message) {
  asio::post(io_, [on_reply = std::move(on_reply), message = std::move(message)]() mutable {
    on_reply(local_failure(std::move(message)));
  });
}

void message_connection::arm_request_timer() {
  if (request_timer_armed_ || deadlines_.empty()) return;
  request_timer_armed_ = true;
  request_timer_.expires_at(deadlines_.front().first);
  request_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->request_timer_armed_ = false;
    if (ec || !self->open_) return;
    self->expire_requests();
    self->arm_request_timer();
  });
}

void message_connection::expire_requests() {
  const auto now = clock::now();
  while (!deadlines_.empty() && deadlines_.front().first <= now) {
    const std::uint32_t cid = deadlines_.front().second;
    deadlines_.pop_front();
    const auto it = pending_.find(cid);
    if (it == pending_.end()) continue;  // answered in time
    auto on_reply = std::move(it->second);
    pending_.erase(it);
    on_reply(local_failure("no answer from " + where() + " within " + describe_ms(options_.request_timeout_ms)));
    if (!open_) return;
  }
}

// Every half ping interval: a Ping when nothing went out for a whole interval, and the verdict "dead" when
// nothing came in for dead_after_ms. The server answers every Ping, so a live server is never silent that long.
void message_connection::keep_alive() {
  const std::uint32_t ping_ms = options_.ping_interval_ms;
  const std::uint32_t dead_ms = options_.dead_after_ms;
  if (ping_ms == 0 && dead_ms == 0) return;
  const std::uint32_t period_ms = std::max<std::uint32_t>(1, ping_ms != 0 ? ping_ms / 2 : dead_ms / 4);
  keepalive_timer_.expires_after(std::chrono::milliseconds(period_ms));
  keepalive_timer_.async_wait([self = shared_from_this(), ping_ms, dead_ms](const boost::system::error_code& ec) {
    if (ec || !self->open_) return;
    const auto now = clock::now();
    if (dead_ms != 0 && now - self->last_received_ >= std::chrono::milliseconds(dead_ms)) {
      return self->fail_connection("nothing heard from " + self->where() + " for " + describe_ms(dead_ms));
    }
    if (ping_ms != 0 && now - self->last_sent_ >= std::chrono::milliseconds(ping_ms)) {
      v1::Envelope ping;
      ping.mutable_ping()->set_client_time_ms(
          std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
      self->request(std::move(ping), [](const v1::Envelope&) {});  // the Pong counts as received traffic
    }
    self->keep_alive();
  });
}

void message_connection::deliver(v1::Envelope& message) {
  if (message.cid() != 0) {
    if (auto it = pending_.find(message.cid()); it != pending_.end()) {
      auto on_reply = std::move(it->second);
      pending_.erase(it);
      on_reply(message);
      return;
    }
  }
  if (message.has_closing()) {
    close_code_ = static_cast<std::uint16_t>(message.closing().code());
    return fail_connection("closed by the server: " + std::to_string(message.closing().code()) + " " +
                           message.closing().reason());
  }
  if (on_push_) on_push_(message);
}

void message_connection::fail_connection(const std::string& reason) {
  if (!open_) return;
  open_ = false;
  drop_transport();
  request_timer_.cancel();
  keepalive_timer_.cancel();
  deadlines_.clear();
  // Oldest first; a callback that sends again is answered locally (not open any more), later.
  std::vector<std::pair<std::uint32_t, reply_handler>> orphans;
  for (auto& [cid, on_reply] : pending_) orphans.emplace_back(cid, std::move(on_reply));
  pending_.clear();
  std::ranges::sort(orphans, {}, &std::pair<std::uint32_t, reply_handler>::first);
  for (auto& [cid, on_reply] : orphans) on_reply(local_failure("connection lost: " + reason));
  if (on_closed_) on_closed_(reason);
}

}  // namespace guildhall::client
