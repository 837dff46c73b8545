#pragma once
// A deliberately simple, blocking protocol client for integration tests: one socket, reads with timeouts, and
// the ability to send raw bytes that no well-behaved client would.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>

#include "guildhall/v1/guildhall.pb.h"
#include "wire/frame_reader.hpp"
#include "wire/websocket_frames.hpp"

namespace guildhall::testing {

namespace v1 = ::guildhall::v1;
using namespace std::chrono_literals;

enum class transport { tcp, ws_binary, ws_json };

class blocking_client {
 public:
  // `port`: the TCP port for transport::tcp, the HTTP port for WebSocket. `receive_buffer_bytes`, when set,
  // shrinks the kernel's receive buffer (before connecting, so the advertised window is small too): a client
  // that stops reading then fills it after kilobytes rather than megabytes, and the server sees a slow reader.
  blocking_client(transport kind, std::uint16_t port, int receive_buffer_bytes = 0);
  ~blocking_client();
  blocking_client(blocking_client&& other) noexcept;
  blocking_client& operator=(blocking_client&&) = delete;

  void send(const v1::Envelope& message);
  void send_raw(std::string_view bytes);
  // Sends `request` with a fresh cid and returns its answer; pushes read meanwhile are kept in `pushes`.
  v1::Envelope call(v1::Envelope request, std::chrono::milliseconds timeout = 5s);
  // The next push (queued or read), or nullopt when none comes within `timeout`.
  std::optional<v1::Envelope> next_push(std::chrono::milliseconds timeout = 5s);
  // The next envelope of any kind.
  std::optional<v1::Envelope> next(std::chrono::milliseconds timeout);
  // Reads until the server closes the connection; true when it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = 5s);

  // Convenience requests.
  v1::Envelope authenticate(const std::string& token);
  v1::Envelope join(const std::string& channel);
  v1::Envelope say(const std::string& channel, const std::string& text);

  bool closed() const { return closed_; }
  std::optional<std::uint32_t> closing_code;  // from a Closing envelope
  std::optional<std::uint16_t> websocket_close_code;
  std::deque<v1::Envelope> pushes;

 private:
  bool read_some(std::chrono::milliseconds timeout);
  std::optional<v1::Envelope> take_decoded();

  transport kind_;
  int fd_ = -1;
  std::variant<wire::frame_reader, wire::ws::frame_reader> reader_;
  std::uint32_t next_cid_ = 1;
  bool closed_ = false;
};

// HTTP helpers over the same loopback server.
std::string guest_token(std::uint16_t http_port, const std::string& device_id);
v1::AuthSession register_user(std::uint16_t http_port, const std::string& username, const std::string& password);

struct http_answer {
  int status = 0;
  std::string body;
};
// GET over a fresh connection that the server closes after answering (Connection: close), so the body is
// everything after the headers.
http_answer http_get(std::uint16_t http_port, const std::string& target);
// The value of one sample of a /metrics scrape ("name{labels}" exactly as exposed), or -1 when it has no such line.
double metric_sample(const std::string& scrape, const std::string& series);

}  // namespace guildhall::testing
