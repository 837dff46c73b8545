#pragma once
// Where the public client_options meet the internal session: the one place the transport preference is turned
// into a URL scheme and session_options. The UDP transport (src/client's udp_connection) is wired here: give
// session_options its UDP switch for transport_preference::udp and ::automatic, and nothing else changes.
#include "client/server_url.hpp"
#include "client/session.hpp"
#include "guildhall/client/error.hpp"
#include "guildhall/client/options.hpp"

namespace guildhall::client {

// The server URL the session connects to: client_options::server_url with its scheme switched to the preference
// (websocket: ws/wss, tcp: tcp/tls; automatic and udp: WebSocket for now). Switching from WebSocket to TCP moves
// the port to the native one (HTTP port + 1, the default layout) unless the URL names http_port.
client_result<server_url> make_server_url(const client_options& options);

session_options make_session_options(const client_options& options);

}  // namespace guildhall::client
