#pragma once
// What every Guildhall scenario of the load generator does with the SDK before it measures anything: the client
// options from the command line, and a guest login followed by the connection.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <guildhall/client/client.hpp>

#include "base/result.hpp"
#include "bench/bench_command.hpp"

namespace guildhall::bench {

// The --server URL as the SDK takes it, over the transport its scheme names (ws:// and wss:// WebSocket, tcp:// and
// tls:// the native framing, udp:// and udps:// UDP; never `automatic`: a run measures the one transport asked
// for), with the TLS flags. No reconnection: a lost connection fails the run, as it always has, instead of being
// hidden by a rejoin. nullopt (the reason printed) for a URL the SDK cannot parse.
std::optional<guildhall::client::client_options> sdk_options(const bench_options& options);
std::optional<guildhall::client::client_options> sdk_options(const std::string& server,
                                                             const guildhall::client::tls_options& tls);

// Logs `client` in as a guest on device `device` (HTTP, through its poll()), then connects and authenticates it;
// `done` runs inside a later poll().
void sign_in(guildhall::client::client& client, const std::string& device, std::function<void(result<void>)> done);

// "what: code (message)", for the run's stderr.
std::string said(const guildhall::client::client_error& error, std::string_view what);

}  // namespace guildhall::bench
