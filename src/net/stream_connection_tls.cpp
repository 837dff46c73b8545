// stream_connection over TLS: plaintext in through tls_session, batches out sealed into one buffer and sent
// with one system call. The plaintext paths are in stream_connection.cpp.
#include <sys/socket.h>

#include <array>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <chrono>

#include "net/stream_connection.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace {

// One record's worth of plaintext per SSL_read, in a buffer per shard thread (not per connection).
constexpr std::size_t kPlaintextChunkBytes = 16 * 1024;
thread_local std::array<char, kPlaintextChunkBytes> plaintext;
thread_local std::vector<iovec> tls_gather;

std::int64_t steady_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void stream_connection::read_tls(std::string_view ciphertext) {
  tls_->feed(ciphertext);
  for (;;) {
    auto n = tls_->read(plaintext.data(), plaintext.size());
    if (!n) {
      // Not TLS (a plaintext client on a TLS port), a failed handshake, a forged record, or the peer's
      // close_notify. Nothing more can be read or sealed: send the alert OpenSSL queued (if any), half-close and
      // wait (bounded by the linger deadline) for the peer's EOF, so the peer sees a clean close, not a reset.
      closing_ = true;
      queue_.drop_unstarted();
      arm_deadline();
      return after_flush();
    }
    if (*n == 0) break;
    framing_.feed(std::string_view(plaintext.data(), *n));
    process_inbound();
    if (finished_) return;
  }
  // The handshake's flights and TLS 1.3 session tickets are written as soon as OpenSSL makes them.
  if (!tls_->outgoing().empty()) write_more_tls();
}

void stream_connection::write_more_tls() {
  if (waiting_writable_ || finished_) return;
  const bool can_seal = tls_->handshake_done() && !send_shut_;
  if (can_seal && !queue_.empty()) {
    const std::int64_t now = steady_us();
    note_write_interval(now);
    last_write_us_ = now;
  }
  for (;;) {
    if (can_seal && tls_->outgoing().empty() && !queue_.empty()) {
      // One batch (as many messages as the plaintext path's one sendmsg), sealed into one buffer.
      queue_.front_buffers(tls_gather);
      std::size_t batch_bytes = 0;
      for (const iovec& piece : tls_gather) batch_bytes += piece.iov_len;
      if (!tls_->write(tls_gather)) {
        closing_ = true;
        queue_.drop_unstarted();
        return after_flush();
      }
      queue_.consume(batch_bytes);
    }
    const std::string& sealed = tls_->outgoing();
    if (sealed.empty()) break;
    const ssize_t written = ::send(socket_.native_handle(), sealed.data(), sealed.size(), MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      return after_failed_send();
    }
    tls_->consume_outgoing(static_cast<std::size_t>(written));
    count_sent(written);
  }
  // Before the handshake is done nothing queued can be sent: a connection closing then just goes.
  if (closing_ && (queue_.empty() || !can_seal)) after_flush();
}

void stream_connection::write_tls_goodbye() {
  // close_notify (or the alert of a failed handshake), best effort: the socket is about to be half-closed.
  tls_->close_notify();
  const std::string& sealed = tls_->outgoing();
  if (sealed.empty() || waiting_writable_) return;
  const ssize_t written = ::send(socket_.native_handle(), sealed.data(), sealed.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (written > 0) tls_->consume_outgoing(static_cast<std::size_t>(written));
}

}  // namespace guildhall::net
