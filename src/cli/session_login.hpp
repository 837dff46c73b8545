#pragma once
// What the load generator (src/bench) still takes from here while it moves onto the SDK: a blocking login on the
// internal client, and the open-file limit. `guildhall chat` and `play` log in through the SDK (client_setup.hpp);
// once src/bench no longer calls log_in, it goes, and with it this directory's last include of the internal client.
#include <string>

#include "client/http_login.hpp"
#include "client/server_url.hpp"

namespace guildhall::cli {

// With a password, log in (registering on first use); without, as a guest.
result<v1::AuthSession> log_in(const client::server_url& url, const std::string& user, const std::string& password,
                               std::uint32_t timeout_ms = client::kDefaultLoginTimeoutMs);

// Raises the open-file limit to its hard maximum: load generators and servers hold many sockets.
void raise_open_file_limit();

}  // namespace guildhall::cli
