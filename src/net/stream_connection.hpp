#pragma once
// The one connection implementation: a TCP socket speaking either framing (native length-prefixed or
// WebSocket), in the clear or over TLS. Reads without a per-connection buffer (wait for readability, read into
// the shard's scratch buffer), writes queued frames with gather-writes (over TLS: the batch encrypted into one
// buffer, then one send), and enforces the limits of connection_limits.
// Thread-safety: lives on its shard; see connection.hpp.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <sys/types.h>
#include <atomic>
#include <functional>
#include <vector>

#include "net/connection.hpp"
#include "net/inbound_framing.hpp"
#include "net/outbound_queue.hpp"
#include "net/tls_session.hpp"

namespace guildhall::net {

class stream_connection final : public connection {
 public:
  using finished_callback = std::function<void(std::uint64_t id)>;

  stream_connection(std::uint64_t id, unsigned shard, boost::asio::ip::tcp::socket socket, framing_kind framing,
                    const connection_limits& limits, finished_callback on_finished,
                    std::unique_ptr<tls_session> tls = nullptr);

  // Starts reading. `greeting` is written first (the HTTP 101 answer of a WebSocket upgrade); `already_read`
  // holds bytes that arrived behind the upgrade request.
  void start(std::unique_ptr<connection_handler> handler, std::string greeting, std::string_view already_read);

  wire::payload_format format() const override { return format_.load(std::memory_order_relaxed); }
  send_status send(wire::shared_message message) override;
  send_status send_latest(wire::shared_message message, std::uint64_t slot) override;
  void close(wire::close_code code, std::string_view reason) override;
  void mark_authenticated() override;
  std::string remote_address() const override;

 private:
  void wait_readable();
  void read_available();
  void process_inbound();
  void handle_event(inbound_event& event);
  void fail_stream(const error& failure);
  // send and send_latest: slot 0 queues, any other replaces an unsent message of that slot.
  send_status send_in_slot(wire::shared_message message, std::uint64_t slot);
  void enqueue(std::shared_ptr<const void> owner, std::string_view payload, wire::payload_format format, bool framed,
               std::uint64_t slot = 0);
  void enqueue_raw(std::string bytes);
  // Writes what is queued now, until the queue is empty or the socket is full.
  void write_more();
  // The TLS halves of read_available and write_more (stream_connection_tls.cpp).
  void read_tls(std::string_view ciphertext);
  void write_more_tls();
  void write_tls_goodbye();
  void note_write_interval(std::int64_t now_us);
  void wait_writable();
  // After a send that failed (errno set, not EINTR): wait out a full socket, or finish if the peer is gone.
  void after_failed_send();
  void count_sent(ssize_t written) const;
  // Corking and pacing: sends only queue. A connection that has not written lately is flushed as soon as the
  // handlers queued before it have run; one that has waits for the shard's pacing tick (write_batch_window_us).
  void schedule_flush();
  static void flush_all(std::vector<std::shared_ptr<stream_connection>>& pending);
  // Whether queuing `payload_bytes` more would pass max_outbound_bytes.
  bool over_outbound_bound(std::size_t payload_bytes) const;
  void arm_deadline();
  void on_deadline();
  void after_flush();
  void finish();
  void log_closed() const;
  void begin_closing();
  void tell_handler_closed();  // once: from begin_closing's posted task or finish, whichever runs first

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  inbound_framing framing_;
  const connection_limits& limits_;
  finished_callback on_finished_;
  std::unique_ptr<connection_handler> handler_;
  std::unique_ptr<tls_session> tls_;  // null for a plaintext connection
  outbound_queue queue_;
  boost::asio::ip::tcp::endpoint remote_;  // kept for the close's log line: a reset socket no longer knows it
  std::unique_ptr<const std::string> close_reason_;  // only a closing connection has one: 8 bytes while idle
  std::int64_t opened_at_ms_;
  std::int64_t last_activity_ms_;
  std::int64_t last_write_us_ = 0;
  // Mean time between messages to this connection (µs, from its writes): pacing is for busy connections only.
  static constexpr std::int64_t kIdleGapUs = 1'000'000;
  std::int64_t mean_gap_us_ = kIdleGapUs;
  // Written on this shard, read from any (see connection::format): atomic, and only a hint elsewhere.
  std::atomic<wire::payload_format> format_{wire::payload_format::binary};
  std::uint16_t close_code_ = 0;  // the code we closed with; 0 while the peer is the one that left
  bool authenticated_ = false;
  bool waiting_writable_ = false;  // the socket was full (or failed): writes wait for writability
  bool flush_scheduled_ = false;
  bool closing_ = false;
  bool send_shut_ = false;
  bool finished_ = false;
  bool handler_told_closed_ = false;
};

}  // namespace guildhall::net
