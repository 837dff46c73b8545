#include "blocking_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "client/http_login.hpp"
#include "wire/codec.hpp"

namespace guildhall::testing {
namespace {

constexpr std::size_t kMaxIncoming = 64 * 1024 * 1024;

int connect_loopback(std::uint16_t port, int receive_buffer_bytes = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer_bytes > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;  // the server closed: tests see that on the next read
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

const wire::ws::mask_key kMask{0x12, 0x34, 0x56, 0x78};

}  // namespace

blocking_client::blocking_client(transport kind, std::uint16_t port, int receive_buffer_bytes)
    : kind_(kind),
      fd_(connect_loopback(port, receive_buffer_bytes)),
      reader_(kind == transport::tcp
                  ? std::variant<wire::frame_reader, wire::ws::frame_reader>(wire::frame_reader(kMaxIncoming))
                  : wire::ws::frame_reader(wire::ws::role::client, kMaxIncoming)) {
  if (kind == transport::tcp) return;
  write_all(fd_, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  std::string answer;
  char byte;
  while (answer.find("\r\n\r\n") == std::string::npos && ::recv(fd_, &byte, 1, 0) == 1) answer.push_back(byte);
  if (!answer.starts_with("HTTP/1.1 101")) throw std::runtime_error("WebSocket upgrade refused: " + answer);
}

blocking_client::~blocking_client() {
  if (fd_ >= 0) close(fd_);
}

blocking_client::blocking_client(blocking_client&& other) noexcept
    : closing_code(other.closing_code),
      websocket_close_code(other.websocket_close_code),
      pushes(std::move(other.pushes)),
      kind_(other.kind_),
      fd_(std::exchange(other.fd_, -1)),
      reader_(std::move(other.reader_)),
      next_cid_(other.next_cid_),
      closed_(other.closed_) {}

void blocking_client::send(const v1::Envelope& message) {
  const bool json = kind_ == transport::ws_json;
  const std::string payload = wire::encode(message, json ? wire::payload_format::json : wire::payload_format::binary);
  if (kind_ == transport::tcp) return send_raw(wire::frame_for_stream(payload));
  send_raw(wire::ws::make_frame(json ? wire::ws::opcode::text : wire::ws::opcode::binary, payload, kMask));
}

void blocking_client::send_raw(std::string_view bytes) { write_all(fd_, bytes); }

v1::Envelope blocking_client::call(v1::Envelope request, std::chrono::milliseconds timeout) {
  const std::uint32_t cid = next_cid_++;
  request.set_cid(cid);
  send(request);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto message = next(std::max(left, 0ms));
    if (!message) throw std::runtime_error("no answer to cid " + std::to_string(cid) + " in time");
    if (message->cid() == cid) return *message;
    pushes.push_back(std::move(*message));
  }
}

std::optional<v1::Envelope> blocking_client::next_push(std::chrono::milliseconds timeout) {
  if (!pushes.empty()) {
    auto message = std::move(pushes.front());
    pushes.pop_front();
    return message;
  }
  return next(timeout);
}

std::optional<v1::Envelope> blocking_client::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto message = take_decoded()) return message;
    if (closed_) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms || !read_some(left)) return std::nullopt;
  }
}

std::optional<v1::Envelope> blocking_client::take_decoded() {
  while (true) {
    std::string payload;
    wire::payload_format format = wire::payload_format::binary;
    if (auto* stream = std::get_if<wire::frame_reader>(&reader_)) {
      auto frame = stream->next();
      if (!frame || !*frame) return std::nullopt;
      payload = std::move(**frame);
    } else {
      auto frame = std::get<wire::ws::frame_reader>(reader_).next();
      if (!frame || !*frame) return std::nullopt;
      if ((*frame)->kind == wire::ws::opcode::close) {
        websocket_close_code = wire::ws::close_code_of((*frame)->payload);
        continue;
      }
      if ((*frame)->kind != wire::ws::opcode::text && (*frame)->kind != wire::ws::opcode::binary) continue;
      if ((*frame)->kind == wire::ws::opcode::text) format = wire::payload_format::json;
      payload = std::move((*frame)->payload);
    }
    auto decoded = wire::decode(payload, format);
    if (!decoded) throw std::runtime_error("server sent an undecodable frame: " + decoded.error().message);
    if (decoded->has_closing()) closing_code = decoded->closing().code();
    return std::move(*decoded);
  }
}

bool blocking_client::read_some(std::chrono::milliseconds timeout) {
  pollfd waiting{fd_, POLLIN, 0};
  if (poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buffer[65536];
  const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  std::visit([&](auto& reader) { reader.feed(std::string_view(buffer, static_cast<std::size_t>(n))); }, reader_);
  return true;
}

bool blocking_client::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    if (auto message = next(left)) pushes.push_back(std::move(*message));
  }
  return true;
}

v1::Envelope blocking_client::authenticate(const std::string& token) {
  v1::Envelope request;
  request.mutable_authenticate()->set_token(token);
  return call(request);
}

v1::Envelope blocking_client::join(const std::string& channel) {
  v1::Envelope request;
  request.mutable_join_channel()->set_channel(channel);
  return call(request);
}

v1::Envelope blocking_client::say(const std::string& channel, const std::string& text) {
  v1::Envelope request;
  request.mutable_send_message()->set_channel(channel);
  request.mutable_send_message()->set_text(text);
  return call(request);
}

std::string guest_token(std::uint16_t http_port, const std::string& device_id) {
  v1::AuthRequest request;
  request.set_device_id(device_id);
  auto session = client::call_auth("127.0.0.1", http_port, "guest", request);
  if (!session) throw std::runtime_error("guest login failed: " + session.error().message);
  return session->token();
}

v1::AuthSession register_user(std::uint16_t http_port, const std::string& username, const std::string& password) {
  v1::AuthRequest request;
  request.set_username(username);
  request.set_password(password);
  auto session = client::call_auth("127.0.0.1", http_port, "register", request);
  if (!session) throw std::runtime_error("register failed: " + session.error().message);
  return *session;
}

}  // namespace guildhall::testing

namespace guildhall::testing {

http_answer http_get(std::uint16_t http_port, const std::string& target) {
  const int fd = connect_loopback(http_port);
  write_all(fd, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string raw;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) raw.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  http_answer answer;
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || head_end == std::string::npos) return answer;
  answer.status = std::stoi(raw.substr(9, 3));
  answer.body = raw.substr(head_end + 4);
  return answer;
}

double metric_sample(const std::string& scrape, const std::string& series) {
  const std::string key = "\n" + series + " ";
  const auto at = ("\n" + scrape).find(key);
  if (at == std::string::npos) return -1;
  return std::stod(scrape.substr(at + key.size() - 1));
}

}  // namespace guildhall::testing
