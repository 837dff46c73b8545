#include "bench/colyseus_matchmake.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
// Boost.JSON header-only: this is the one file of the program that compiles its sources.
#include <boost/json/src.hpp>
#include <memory>

namespace guildhall::bench::colyseus {
namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// A reservation is a few hundred bytes; anything much larger is not one.
constexpr std::uint64_t kMaxAnswerBytes = 64 * 1024;

// The server's own id alphabet (nanoid; its URL pattern is [a-zA-Z0-9_\-]+).
bool is_id(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  }
  return true;
}

const json::string* string_at(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? value->if_string() : nullptr;
}

// One HTTP exchange; the handlers keep it alive.
struct matchmake_call {
  explicit matchmake_call(asio::io_context& io) : socket(io) {}
  asio::ip::tcp::socket socket;
  http::request<http::string_body> request;
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  std::move_only_function<void(result<seat_reservation>)> done;

  void finish(result<seat_reservation> outcome) {
    boost::system::error_code ignored;
    socket.close(ignored);
    done(std::move(outcome));
  }
};

}  // namespace

result<seat_reservation> parse_seat_reservation(std::string_view body) {
  boost::system::error_code ec;
  const json::value answer = json::parse(body, ec);
  if (ec || !answer.is_object())
    return fail(errc::internal, "matchmake: the answer is not a JSON object: " + std::string(body.substr(0, 200)));
  const auto& top = answer.get_object();
  if (const auto* refusal = string_at(top, "error")) {
    const auto* code = top.if_contains("code");
    return fail(errc::internal, "matchmake refused: " + std::string(*refusal) +
                                    (code ? " (code " + json::serialize(*code) + ")" : std::string()));
  }
  if (const auto* protocol = string_at(top, "protocol"); protocol && *protocol != "ws") {
    return fail(errc::invalid_argument,
                "matchmake: the server wants transport " + std::string(*protocol) + ", not a WebSocket");
  }
  const auto* room = top.if_contains("room") ? top.at("room").if_object() : nullptr;
  const auto* session_id = string_at(top, "sessionId");
  if (!room || !session_id)
    return fail(errc::internal, "matchmake: no room or sessionId in " + std::string(body.substr(0, 200)));
  if (room->contains("publicAddress")) {
    return fail(errc::invalid_argument,
                "matchmake: the room is served at its publicAddress, another host than --server");
  }
  const auto* room_id = string_at(*room, "roomId");
  const auto* process_id = string_at(*room, "processId");
  if (!room_id || !process_id || !is_id(*room_id) || !is_id(*process_id) || !is_id(*session_id)) {
    return fail(errc::internal, "matchmake: missing or malformed roomId, processId or sessionId");
  }
  return seat_reservation{std::string(*room_id), std::string(*process_id), std::string(*session_id)};
}

std::string websocket_target(const seat_reservation& seat) {
  return "/" + seat.process_id + "/" + seat.room_id + "?sessionId=" + seat.session_id;
}

void post_matchmake(asio::io_context& io, const asio::ip::tcp::endpoint& server, std::string_view method,
                    std::string_view target, std::move_only_function<void(result<seat_reservation>)> done) {
  if (!is_id(method) || !is_id(target)) return done(fail(errc::invalid_argument, "matchmake: bad method or room"));
  auto call = std::make_shared<matchmake_call>(io);
  call->done = std::move(done);
  call->request = {http::verb::post, "/matchmake/" + std::string(method) + "/" + std::string(target), 11};
  call->request.set(http::field::host, server.address().to_string() + ":" + std::to_string(server.port()));
  call->request.set(http::field::accept, "application/json");
  call->request.set(http::field::content_type, "application/json");
  call->request.keep_alive(false);
  call->request.body() = "{}";
  call->request.prepare_payload();
  call->parser.body_limit(kMaxAnswerBytes);
  call->socket.async_connect(server, [call](const boost::system::error_code& ec) {
    if (ec) return call->finish(fail(errc::internal, "matchmake: cannot connect: " + ec.message()));
    http::async_write(call->socket, call->request, [call](const boost::system::error_code& ec, std::size_t) {
      if (ec) return call->finish(fail(errc::internal, "matchmake: write failed: " + ec.message()));
      http::async_read(
          call->socket, call->buffer, call->parser, [call](const boost::system::error_code& ec, std::size_t) {
            if (ec) return call->finish(fail(errc::internal, "matchmake: read failed: " + ec.message()));
            const auto& answer = call->parser.get();
            if (answer.result() != http::status::ok) {
              return call->finish(fail(errc::internal, "matchmake: HTTP " + std::to_string(answer.result_int())));
            }
            call->finish(parse_seat_reservation(answer.body()));
          });
    });
  });
}

}  // namespace guildhall::bench::colyseus
