#pragma once
// Logging a command-line client in: with a password, log in (registering on first use); without, as a guest.
#include <string>

#include "client/http_login.hpp"
#include "client/server_url.hpp"

namespace guildhall::cli {

result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password);

struct signed_in {
  client::server_url url;
  v1::AuthSession session;
};
// What an interactive client does first: parse `server`, then log_in. On failure it has told the user on stderr
// and gives the exit code to return (2: a bad URL, 1: the login failed).
// `tls`: how to check the certificate of a wss:// or tls:// server.
std::expected<signed_in, int> sign_in(const std::string& server, const std::string& user, const std::string& password,
                                      const client::tls_options& tls = {});

// Raises the open-file limit to its hard maximum: load generators and servers hold many sockets.
void raise_open_file_limit();

}  // namespace guildhall::cli
