#include "bench/colyseus_fanout_member.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

#include "bench/colyseus_matchmake.hpp"
#include "bench/colyseus_protocol.hpp"
#include "client/server_url.hpp"

namespace guildhall::bench {
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

constexpr std::string_view kRoomName = "chat";  // server.js defines it
// A "said" is under 100 bytes; the cap stops a broken or hostile server from growing the buffer.
constexpr std::size_t kMaxMessageBytes = 64 * 1024;
// A member sends a few messages a second; this many unsent means the server stopped reading.
constexpr std::size_t kMaxQueuedMessages = 1024;

// One Colyseus client in one room: matchmake over HTTP, take the seat over a WebSocket, acknowledge JOIN_ROOM,
// then ROOM_DATA both ways. Handlers hold the member (shared_from_this) while an operation is in flight.
class colyseus_member final : public fanout_member, public std::enable_shared_from_this<colyseus_member> {
 public:
  colyseus_member(asio::io_context& io, asio::ip::tcp::endpoint server, std::shared_ptr<std::string> room_id,
                  bool creates_room, fanout_member_events events)
      : io_(io),
        server_(std::move(server)),
        room_id_(std::move(room_id)),
        creates_room_(creates_room),
        events_(std::move(events)),
        ws_(io) {
    ws_.binary(true);
    ws_.read_message_max(kMaxMessageBytes);
    ws_.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::client));
    // Masking keys only keep proxies from misreading client frames; a load generator on loopback needs no
    // cryptographic generator for them, and the cheap one keeps its CPU out of the way.
    ws_.secure_prng(false);
  }

  void join(std::move_only_function<void(result<void>)> done) override {
    join_done_ = std::move(done);
    if (!creates_room_ && room_id_->empty()) return finish_join(fail(errc::internal, "no room to join yet"));
    colyseus::post_matchmake(io_, server_, creates_room_ ? "joinOrCreate" : "joinById",
                             creates_room_ ? kRoomName : std::string_view(*room_id_),
                             [self = shared_from_this()](result<colyseus::seat_reservation> seat) {
                               if (!seat) return self->finish_join(std::unexpected(seat.error()));
                               if (self->creates_room_) *self->room_id_ = seat->room_id;
                               self->open_websocket(*seat);
                             });
  }

  void send(std::int64_t stamp_ns) override {
    if (!joined_ || closed_) return;
    if (outbox_.size() >= kMaxQueuedMessages) return events_.on_error("send queue full: the server is not reading");
    // sent_at is echoed by the room, never read: it is there because server.js's handler forwards it, in
    // milliseconds like a JavaScript client's performance.now().
    outbox_.push_back(colyseus::encode_room_data(
        colyseus::kSayType, colyseus::encode_say_payload(stamp_text(stamp_ns), static_cast<double>(stamp_ns) / 1e6)));
    if (!writing_) write_next();
  }

 private:
  void open_websocket(const colyseus::seat_reservation& seat) {
    ws_.next_layer().async_connect(server_, [self = shared_from_this(), target = colyseus::websocket_target(seat)](
                                                const boost::system::error_code& ec) {
      if (ec) return self->close_with("WebSocket connect failed: " + ec.message());
      self->ws_.next_layer().set_option(asio::ip::tcp::no_delay(true));
      const std::string host = self->server_.address().to_string() + ":" + std::to_string(self->server_.port());
      self->ws_.async_handshake(host, target, [self](const boost::system::error_code& ec) {
        if (ec) return self->close_with("WebSocket handshake failed: " + ec.message());
        self->read_next();
      });
    });
  }

  void read_next() {
    ws_.async_read(buffer_, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      if (ec) return self->close_with(self->describe(ec));
      const auto bytes = self->buffer_.cdata();
      self->handle(std::string_view(static_cast<const char*>(bytes.data()), bytes.size()));
      self->buffer_.consume(self->buffer_.size());
      if (!self->closed_) self->read_next();
    });
  }

  void handle(std::string_view body) {
    auto message = colyseus::decode_server_message(body);
    if (!message) return close_with(message.error().message);
    if (auto* data = std::get_if<colyseus::room_data>(&*message)) return handle_room_data(*data);
    if (auto* joined = std::get_if<colyseus::joined>(&*message)) return handle_joined(*joined);
    if (auto* refusal = std::get_if<colyseus::server_error>(&*message)) {
      const std::string what = "colyseus error " + std::to_string(refusal->code) + ": " + refusal->message;
      return joined_ ? events_.on_error(what) : close_with(what);
    }
    close_with("the room asked this member to leave");  // leave_requested
  }

  // The server holds back everything for a member until it has acknowledged JOIN_ROOM. Nothing is queued yet:
  // send() waits for joined_.
  void handle_joined(const colyseus::joined&) {
    if (joined_) return events_.on_error("a second JOIN_ROOM");
    joined_ = true;
    outbox_.push_back(colyseus::encode_join_ack());
    write_next();
    finish_join({});
  }

  void handle_room_data(const colyseus::room_data& data) {
    if (!joined_) return close_with("room data before JOIN_ROOM");
    if (data.type != colyseus::kSaidType) return events_.on_error("unexpected message type " + data.type);
    const auto text = colyseus::said_text(data.payload);
    if (!text) return events_.on_error(text.error().message);
    if (const auto stamp = parse_stamp(*text)) events_.on_delivery(*stamp);
  }

  void write_next() {
    if (outbox_.empty() || closed_) {
      writing_ = false;
      return;
    }
    writing_ = true;
    ws_.async_write(asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (ec) return self->close_with("write failed: " + ec.message());
                      self->outbox_.pop_front();
                      self->write_next();
                    });
  }

  std::string describe(const boost::system::error_code& ec) const {
    if (ec != websocket::error::closed) return ec.message();
    const auto& reason = ws_.reason();
    return "server closed the WebSocket (" + std::to_string(reason.code) + " " +
           std::string(reason.reason.data(), reason.reason.size()) + ")";
  }

  // Ends the member once: a failure before JOIN_ROOM fails the join; after it, the member is reported closed.
  void close_with(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    ws_.next_layer().close(ignored);
    if (!joined_) return finish_join(fail(errc::internal, reason));
    events_.on_closed(reason);
  }

  void finish_join(result<void> outcome) {
    if (!join_done_) return;
    auto done = std::move(join_done_);
    join_done_ = nullptr;
    done(std::move(outcome));
  }

  asio::io_context& io_;
  asio::ip::tcp::endpoint server_;
  std::shared_ptr<std::string> room_id_;  // shared by the run's members; member 0 fills it in
  bool creates_room_;
  fanout_member_events events_;
  websocket::stream<asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::move_only_function<void(result<void>)> join_done_;
  bool writing_ = false;
  bool joined_ = false;
  bool closed_ = false;
};

class colyseus_peer final : public fanout_peer {
 public:
  colyseus_peer(asio::io_context& io, asio::ip::tcp::endpoint server) : io_(io), server_(std::move(server)) {}

  std::string_view name() const override { return "colyseus"; }

  std::shared_ptr<fanout_member> make_member(unsigned index, fanout_member_events events) override {
    return std::make_shared<colyseus_member>(io_, server_, room_id_, index == 0, std::move(events));
  }

 private:
  asio::io_context& io_;
  asio::ip::tcp::endpoint server_;
  std::shared_ptr<std::string> room_id_ = std::make_shared<std::string>();
};

}  // namespace

result<std::unique_ptr<fanout_peer>> make_colyseus_peer(asio::io_context& io, const std::string& server) {
  auto url = client::parse_server_url(server);
  if (!url) return std::unexpected(url.error());
  if (url->kind != client::server_url::scheme::websocket)
    return fail(errc::invalid_argument, "colyseus: --server must be ws://IP:PORT");
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(url->host, ec);
  if (ec) return fail(errc::invalid_argument, "colyseus: --server needs an IP address, not " + url->host);
  return std::make_unique<colyseus_peer>(io, asio::ip::tcp::endpoint(address, url->port));
}

}  // namespace guildhall::bench
