#pragma once
// The chat-fanout members for a Colyseus 0.16 server (bench/peers/colyseus/server.js), speaking the protocol of
// the colyseus.js client in C++ so that Guildhall and Colyseus are driven by the same load generator. Member 0
// does joinOrCreate("chat"), the others joinById(its room), as a client application would.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "bench/fanout_member.hpp"

namespace guildhall::bench {

// `server`: ws://IP:PORT of the Colyseus server (HTTP matchmaking and WebSocket share the port; a path is
// ignored). Errors: another scheme, or a URL that does not parse.
result<std::unique_ptr<fanout_peer>> make_colyseus_peer(boost::asio::io_context& io, const std::string& server);

}  // namespace guildhall::bench
