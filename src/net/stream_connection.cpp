#include "net/stream_connection.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>
#include <spdlog/spdlog.h>

#include "net/net_metrics.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace {

constexpr std::size_t kScratchBytes = 64 * 1024;
// One read buffer per shard thread instead of one per connection: idle connections then cost no buffer at all.
thread_local std::array<char, kScratchBytes> scratch;
using connection_batch = std::vector<std::shared_ptr<stream_connection>>;
// One gather list per shard thread, like the read buffer: a connection between writes holds none.
thread_local std::vector<iovec> gather;

// Per shard (thread): connections with queued bytes, waiting for the end of the current handler batch (`ready`)
// or for the next pacing tick (`paced`).
struct shard_flusher {
  connection_batch ready;
  connection_batch paced;
  std::unique_ptr<asio::steady_timer> tick;
  bool tick_armed = false;
};
thread_local shard_flusher flusher;

std::int64_t steady_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

stream_connection::stream_connection(std::uint64_t id, unsigned shard, asio::ip::tcp::socket socket,
                                     framing_kind framing, const connection_limits& limits,
                                     finished_callback on_finished, std::unique_ptr<tls_session> tls)
    : connection(id, shard),
      socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      framing_(framing, limits.max_unauthenticated_frame_bytes),
      limits_(limits),
      on_finished_(std::move(on_finished)),
      tls_(std::move(tls)),
      opened_at_ms_(steady_ms()),
      last_activity_ms_(opened_at_ms_) {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
  remote_ = socket_.remote_endpoint(ignored);
  count_accepted(transport_series(framing));
}

void stream_connection::start(std::unique_ptr<connection_handler> handler, std::string greeting,
                              std::string_view already_read) {
  handler_ = std::move(handler);
  arm_deadline();
  if (!greeting.empty()) enqueue_raw(std::move(greeting));
  if (!already_read.empty()) {
    framing_.feed(already_read);
    process_inbound();
  }
  wait_readable();
}

void stream_connection::wait_readable() {
  if (finished_) return;
  socket_.async_wait(asio::ip::tcp::socket::wait_read,
                     [self = std::static_pointer_cast<stream_connection>(shared_from_this())](
                         const boost::system::error_code& ec) {
                       if (ec) return self->finish();
                       self->read_available();
                     });
}

void stream_connection::read_available() {
  while (!finished_) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) return finish();  // EOF or reset: the peer is gone
    // Closing: nothing more is handled, so nothing more is framed. Read and drop until the peer's EOF (or the
    // linger deadline), so a peer that keeps sending cannot grow the framer's buffer.
    if (closing_) continue;
    last_activity_ms_ = steady_ms();
    network_metrics().bytes_received.add(transport_series(framing_.kind()), n);
    if (tls_) {
      read_tls(std::string_view(scratch.data(), n));
    } else {
      framing_.feed(std::string_view(scratch.data(), n));
      process_inbound();
    }
    if (n < scratch.size()) break;
  }
  wait_readable();
}

void stream_connection::process_inbound() {
  while (!closing_) {
    auto event = framing_.next();
    if (!event) return fail_stream(event.error());
    if (!*event) return;
    handle_event(**event);
  }
}

void stream_connection::handle_event(inbound_event& event) {
  switch (event.type) {
    case inbound_event::kind::data:
      format_.store(event.format, std::memory_order_relaxed);
      network_metrics().frames_received.add(transport_series(framing_.kind()));
      if (handler_) handler_->on_frame(event.payload, event.format);
      return;
    case inbound_event::kind::ping:
      // Pongs count against the outbound bound too: a client that pings and never reads is a slow reader.
      if (over_outbound_bound(event.payload.size())) {
        return close(wire::close_code::slow_reader, "pings answered faster than they are read");
      }
      enqueue_raw(wire::ws::make_frame(wire::ws::opcode::pong, event.payload));
      return;
    case inbound_event::kind::close:
      // The client closes: echo its code, as RFC 6455 asks, then flush and go.
      begin_closing();
      enqueue_raw(wire::ws::make_frame(wire::ws::opcode::close, event.payload.substr(0, 2)));
      arm_deadline();
      write_more();
      return;
  }
}

void stream_connection::fail_stream(const error& failure) {
  // The stream cannot be resynchronised after a framing error: tell the client why, then close.
  if (failure.code == errc::frame_too_large) {
    send(wire::encode_shared(wire::make_error(0, failure), format() == wire::payload_format::json));
    return close(wire::close_code::frame_too_large, failure.message);
  }
  if (framing_.kind() == framing_kind::websocket) {
    const std::uint16_t code =
        failure.code == errc::invalid_utf8 ? wire::ws::kCloseInvalidPayload : wire::ws::kCloseProtocolError;
    close_code_ = static_cast<std::uint16_t>(wire::close_code::protocol_violation);
    close_reason_ = std::make_unique<const std::string>(failure.message);
    begin_closing();
    enqueue_raw(wire::ws::make_frame(wire::ws::opcode::close, wire::ws::close_payload(code, failure.message)));
    arm_deadline();
    return write_more();
  }
  send(wire::encode_shared(wire::make_error(0, failure), false));
  close(wire::close_code::protocol_violation, failure.message);
}

// Nothing more is read from a closing connection nor sent to it, so the services forget it now rather than after
// the linger: a push meanwhile takes the offline path (stored) instead of vanishing into a socket that is going
// away. Posted, because close() may run inside the handler's own on_frame.
void stream_connection::begin_closing() {
  closing_ = true;
  asio::post(socket_.get_executor(), [self = std::static_pointer_cast<stream_connection>(shared_from_this())] {
    self->tell_handler_closed();
  });
}

void stream_connection::tell_handler_closed() {
  if (!handler_ || handler_told_closed_) return;
  handler_told_closed_ = true;
  handler_->on_closed();
}

send_status stream_connection::send(wire::shared_message message) { return send_in_slot(std::move(message), 0); }

send_status stream_connection::send_latest(wire::shared_message message, std::uint64_t slot) {
  return send_in_slot(std::move(message), slot);
}

send_status stream_connection::send_in_slot(wire::shared_message message, std::uint64_t slot) {
  if (closing_) return send_status::closing;
  const wire::payload_format format = this->format();
  if (format == wire::payload_format::json && message->json.empty()) {
    // The producer did not know this client speaks JSON (it switched formats): convert once for it.
    auto decoded = wire::decode(message->binary, wire::payload_format::binary);
    if (!decoded) return send_status::closing;
    message = wire::encode_shared(*decoded, true);
  }
  const std::string& payload = message->as(format);
  if (over_outbound_bound(payload.size())) {
    close(wire::close_code::slow_reader, "outbound queue over " + std::to_string(limits_.max_outbound_bytes) + " bytes");
    return send_status::over_limit;
  }
  enqueue(message, payload, format, true, slot);
  schedule_flush();
  return send_status::queued;
}

void stream_connection::close(wire::close_code code, std::string_view reason) {
  if (closing_) return;
  close_code_ = static_cast<std::uint16_t>(code);
  close_reason_ = std::make_unique<const std::string>(reason);
  begin_closing();
  // A slow reader's backlog is what got it closed: drop it (but not what is already being written).
  if (code == wire::close_code::slow_reader) queue_.drop_unstarted();

  wire::v1::Envelope goodbye;
  goodbye.mutable_closing()->set_code(static_cast<std::uint32_t>(code));
  goodbye.mutable_closing()->set_reason(std::string(reason));
  const wire::payload_format format = this->format();
  auto message = wire::encode_shared(goodbye, format == wire::payload_format::json);
  enqueue(message, message->as(format), format, true);
  if (framing_.kind() == framing_kind::websocket) {
    enqueue_raw(wire::ws::make_frame(wire::ws::opcode::close,
                                     wire::ws::close_payload(static_cast<std::uint16_t>(code), reason)));
  }
  arm_deadline();
  write_more();
}

void stream_connection::mark_authenticated() {
  authenticated_ = true;
  framing_.set_max_frame_bytes(limits_.max_frame_bytes);
  arm_deadline();
}

void stream_connection::enqueue(std::shared_ptr<const void> owner, std::string_view payload,
                                wire::payload_format format, bool framed, std::uint64_t slot) {
  outbound_queue::entry item;
  item.owner = std::move(owner);
  item.payload = payload;
  if (framed) {
    item.header_bytes = static_cast<std::uint8_t>(framing_.data_header(format, payload.size(), item.header.data()));
    network_metrics().frames_sent.add(transport_series(framing_.kind()));
  }
  if (slot == 0) return queue_.push(std::move(item));
  if (queue_.push_latest(std::move(item), slot)) network_metrics().frames_replaced.add();
}

void stream_connection::enqueue_raw(std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  enqueue(owned, *owned, format(), false);
  write_more();
}

bool stream_connection::over_outbound_bound(std::size_t payload_bytes) const {
  const std::size_t sealed = tls_ ? tls_->outgoing().size() : 0;  // encrypted, not yet sent
  return queue_.bytes() + sealed + payload_bytes + outbound_queue::kMaxHeaderBytes > limits_.max_outbound_bytes;
}

void stream_connection::flush_all(connection_batch& pending) {
  connection_batch batch;
  batch.swap(pending);
  for (auto& connection : batch) {
    connection->flush_scheduled_ = false;
    connection->write_more();
  }
}

void stream_connection::schedule_flush() {
  if (flush_scheduled_ || waiting_writable_) return;  // a blocked write resumes with everything queued
  flush_scheduled_ = true;
  auto self = std::static_pointer_cast<stream_connection>(shared_from_this());
  const std::uint32_t window = limits_.write_batch_window_us;
  // Pacing pays only when a window holds at least two messages: a connection that gets one every few
  // milliseconds would wait for nothing but latency.
  const bool worth_pacing = window != 0 && 2 * mean_gap_us_ <= window;
  if (!worth_pacing || steady_us() - last_write_us_ >= window) {
    if (flusher.ready.empty()) asio::post(socket_.get_executor(), [] { flush_all(flusher.ready); });
    flusher.ready.push_back(std::move(self));
    return;
  }
  flusher.paced.push_back(std::move(self));
  if (flusher.tick_armed) return;
  if (!flusher.tick) flusher.tick = std::make_unique<asio::steady_timer>(socket_.get_executor());
  flusher.tick_armed = true;
  flusher.tick->expires_after(std::chrono::microseconds(window));
  flusher.tick->async_wait([](const boost::system::error_code&) {
    flusher.tick_armed = false;
    flush_all(flusher.paced);
  });
}

void stream_connection::write_more() {
  if (tls_) return write_more_tls();
  if (waiting_writable_ || finished_) return;
  // One sendmsg per batch, straight from the queue. (asio::async_write would split the batch into calls of at
  // most 16 buffers, eight messages, and write each rest only after a round of the event loop.)
  if (queue_.empty()) {
    if (closing_) after_flush();
    return;
  }
  const std::int64_t now = steady_us();
  note_write_interval(now);
  last_write_us_ = now;
  while (!queue_.empty()) {
    queue_.front_buffers(gather);
    msghdr message{};
    message.msg_iov = gather.data();
    message.msg_iovlen = gather.size();
    const ssize_t written = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      return after_failed_send();
    }
    queue_.consume(static_cast<std::size_t>(written));
    count_sent(written);
  }
  if (closing_) after_flush();
}

void stream_connection::after_failed_send() {
  if (errno == EAGAIN || errno == EWOULDBLOCK) return wait_writable();
  // The peer is gone. Finish from the event loop, not from inside whoever queued this write.
  waiting_writable_ = true;
  asio::post(socket_.get_executor(),
             [self = std::static_pointer_cast<stream_connection>(shared_from_this())] { self->finish(); });
}

void stream_connection::count_sent(ssize_t written) const {
  network_metrics().bytes_sent.add(transport_series(framing_.kind()), static_cast<std::uint64_t>(written));
}

void stream_connection::note_write_interval(std::int64_t now_us) {
  // Mean gap between this connection's messages, from the writes: the time since the last one spread over the
  // messages queued since. Smoothed over some sixteen writes, so that two messages arriving together do not
  // switch pacing on; an idle spell counts as at most a second.
  const std::int64_t since_last = std::min<std::int64_t>(now_us - last_write_us_, kIdleGapUs);
  const auto gap = static_cast<std::int64_t>(since_last / static_cast<std::int64_t>(queue_.size()));
  mean_gap_us_ += (gap - mean_gap_us_) / 16;
}

void stream_connection::wait_writable() {
  // The socket is full: resume once the kernel takes bytes again. Sends meanwhile only queue, up to the bound.
  waiting_writable_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write,
                     [self = std::static_pointer_cast<stream_connection>(shared_from_this())](
                         const boost::system::error_code& ec) {
                       self->waiting_writable_ = false;
                       if (ec) return self->finish();
                       self->write_more();
                     });
}

void stream_connection::after_flush() {
  // Everything we had to say is written: half-close and wait (bounded by the linger deadline) for the peer's
  // EOF, so our last frames are not destroyed by a reset.
  if (send_shut_) return;
  send_shut_ = true;
  if (tls_) write_tls_goodbye();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

void stream_connection::arm_deadline() {
  std::int64_t due;
  if (closing_) {
    due = steady_ms() + limits_.close_linger_ms;
  } else if (!authenticated_) {
    due = opened_at_ms_ + limits_.auth_timeout_ms;
  } else {
    due = last_activity_ms_ + limits_.idle_timeout_ms;
  }
  deadline_.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, due - steady_ms())));
  deadline_.async_wait([self = std::static_pointer_cast<stream_connection>(shared_from_this())](
                           const boost::system::error_code& ec) {
    if (!ec) self->on_deadline();
  });
}

void stream_connection::on_deadline() {
  if (finished_) return;
  if (closing_) return finish();
  if (!authenticated_) return close(wire::close_code::auth_timeout, "did not authenticate in time");
  if (steady_ms() - last_activity_ms_ >= limits_.idle_timeout_ms) {
    return close(wire::close_code::idle_timeout, "nothing received for " + std::to_string(limits_.idle_timeout_ms) + " ms");
  }
  arm_deadline();  // there was activity since the timer was set: sleep until the new deadline
}

void stream_connection::finish() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  deadline_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  count_closed(transport_series(framing_.kind()), close_code_);
  log_closed();
  tell_handler_closed();
  handler_.reset();  // breaks the handler's reference back to us
  if (on_finished_) on_finished_(id());
}

std::string stream_connection::remote_address() const {
  return remote_.address().to_string() + ":" + std::to_string(remote_.port());
}

void stream_connection::log_closed() const {
  // One line per connection for operators: who, from where, and why it ended.
  const double seconds = static_cast<double>(steady_ms() - opened_at_ms_) / 1000.0;
  const auto transport = framing_.kind() == framing_kind::websocket ? "websocket" : "tcp";
  const std::string address = remote_address();
  std::string user = handler_ ? handler_->log_user() : std::string();
  if (user.empty()) user = "-";
  if (close_code_ == 0) {
    spdlog::info("connection {} closed by peer: transport={} address={} user={} after {:.1f} s", id(), transport,
                 address, user, seconds);
  } else {
    spdlog::info("connection {} closed: transport={} address={} user={} code={} reason=\"{}\" after {:.1f} s", id(),
                 transport, address, user, close_code_, close_reason_ ? *close_reason_ : std::string(), seconds);
  }
}

}  // namespace guildhall::net
