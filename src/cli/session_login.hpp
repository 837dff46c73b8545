#pragma once
// Logging a command-line client in: with a password, log in (registering on first use); without, as a guest.
#include <string>

#include "cli/commands.hpp"
#include "client/http_login.hpp"
#include "client/server_url.hpp"
#include "client/session.hpp"

namespace guildhall::cli {

result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password,
                               std::uint32_t timeout_ms = client::kDefaultLoginTimeoutMs);

struct signed_in {
  client::server_url url;
  v1::AuthSession session;
};
// What an interactive client does first: parse `server`, then log_in. On failure it has told the user on stderr
// and gives the exit code to return (2: a bad URL, 1: the login failed).
// `tls`: how to check the certificate of a wss:// or tls:// server.
std::expected<signed_in, int> sign_in(const std::string& server, const std::string& user, const std::string& password,
                                      std::uint32_t timeout_ms = client::kDefaultLoginTimeoutMs,
                                      const client::tls_options& tls = {});

// The library's options from the command line's flags. The connection is declared dead after three unanswered
// ping intervals (and never before 10 s), so a slow moment on the server does not look like a lost connection.
client::session_options session_options_from(const connection_flags& flags);

// The session's events delivered to a terminal client's methods of the same names (chat_terminal, play_session).
template <typename Client>
client::session_events events_for(Client& to) {
  return client::session_events{
      .on_ready = [&to](const v1::Authenticated& me, bool reconnected) { to.on_ready(me, reconnected); },
      .on_lost = [&to](const client::retry_notice& notice) { to.on_lost(notice); },
      .on_gave_up = [&to](const std::string& reason) { to.on_gave_up(reason); },
      .on_push = [&to](const v1::Envelope& push) { to.on_push(push); },
  };
}

// Raises the open-file limit to its hard maximum: load generators and servers hold many sockets.
void raise_open_file_limit();

}  // namespace guildhall::cli
