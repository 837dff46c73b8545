#pragma once
// From a terminal command's flags to the C++ SDK (<guildhall/client.hpp>): the client's options from --server and
// the connection and TLS flags, and the login a command-line client does (with a password: log in, registering the
// account on first use; without: a guest account, the same one for the same --user on this machine).
#include <cstdint>
#include <expected>
#include <guildhall/client.hpp>
#include <string>

#include "cli/commands.hpp"

namespace guildhall::cli {

// The transport follows the URL's scheme: ws:// and wss:// WebSocket, tcp:// and tls:// the native framing,
// udp:// and udps:// UDP, falling back to WebSocket when the server has UDP off or UDP does not get through. The
// connection is declared dead after three unanswered ping intervals (and never before 10 s), so a slow moment on the
// server does not look like a lost connection. A sentence for the user when `server` names no known scheme.
std::expected<client::client_options, std::string> client_options_from(const std::string& server,
                                                                        const connection_flags& flags,
                                                                        const tls_flags& tls);

// Logs `net` in as the command line asks; `done` runs inside net.poll(). A password that does not match an existing
// account is auth_failed "wrong password for USER".
void log_in(client::client& net, const std::string& user, const std::string& password,
            client::callback<client::login_session> done);

// The exit code for a failed login: 2 when the options were wrong (a bad URL), 1 otherwise.
int login_exit_code(const client::client_error& error);

// A server's refusal, for the screen: "NOT_MEMBER: join the channel first" (the protocol's name of the code), or
// "not done: ..." for a request that never got an answer (no connection, timed out).
std::string describe_error(const client::client_error& error);

// The line for a scheduled reconnection attempt (connection_event::kind::reconnecting): "connection lost (why),
// reconnecting in 2 s…" for the first, "still no connection (why), retrying in 4 s…" after.
std::string describe_retry(const client::connection_event& event);

}  // namespace guildhall::cli
