#pragma once
// Colyseus 0.16 matchmaking, the HTTP half of joining a room (colyseus.js lib/Client.js createMatchMakeRequest,
// @colyseus/core build/Server.js handleMatchMakeRequest): POST /matchmake/<method>/<room name or id> with the
// join options as JSON reserves a seat; the client then opens a WebSocket at websocket_target() to take it
// (within the seat reservation time, 15 s by default).
// Thread-safety: post_matchmake runs on `io`'s thread and calls `done` there.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace guildhall::bench::colyseus {

struct seat_reservation {
  std::string room_id;
  std::string process_id;
  std::string session_id;
};

// The answer's body. The server answers 200 whatever happened; a refusal is {"code": N, "error": "..."}.
// Errors: that refusal, JSON that is not a reservation, ids outside [A-Za-z0-9_-] (they go into the WebSocket
// URL unescaped, as the real client puts them), and a reservation this client cannot take: another
// `protocol` than WebSocket, or a `publicAddress` naming another host. `devMode` is ignored: it only changes how
// the real client reconnects after a server restart, which a benchmark member never does.
result<seat_reservation> parse_seat_reservation(std::string_view body);

// "/<processId>/<roomId>?sessionId=<sessionId>": Client.buildEndpoint for a server URL without a path.
std::string websocket_target(const seat_reservation& seat);

// `method`: joinOrCreate, create, join (then `target` is a room name) or joinById (a room id). The body sent is
// "{}": the chat room takes no join options.
void post_matchmake(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server, std::string_view method,
                    std::string_view target, std::move_only_function<void(result<seat_reservation>)> done);

}  // namespace guildhall::bench::colyseus
