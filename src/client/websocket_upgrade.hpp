#pragma once
// The client's half of the WebSocket opening handshake (RFC 6455 section 4.1), sans I/O: the request to send and
// the check of the answer's head. Unit-tested in tests/unit/websocket_upgrade_test.cpp.
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "client/server_url.hpp"

namespace guildhall::client {

// A fresh random 16-byte nonce, base64-encoded: the Sec-WebSocket-Key of one handshake.
std::string new_websocket_key();

// The GET ... Upgrade request for `url` carrying `key`.
std::string upgrade_request(const server_url& url, std::string_view key);

// Checks the answer's head (status line and headers, up to the blank line): 101, Upgrade: websocket, and a
// Sec-WebSocket-Accept that matches `key`. A server that answers anything else did not understand the upgrade
// (a plain HTTP server, a proxy), and its bytes must not be read as WebSocket frames.
result<void> check_upgrade_answer(std::string_view head, std::string_view key);

}  // namespace guildhall::client
