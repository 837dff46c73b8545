#pragma once
// The WebSocket handshake's proof of understanding (RFC 6455 section 4.2.2): the server answers a client's
// Sec-WebSocket-Key with SHA-1(key + GUID) in base64. The server computes it to answer; the client computes it to
// check the answer, so a plain HTTP server or a proxy that did not understand the upgrade is not mistaken for one.
#include <string>
#include <string_view>

namespace guildhall::wire::ws {

std::string accept_key(std::string_view client_key);

}  // namespace guildhall::wire::ws
