#pragma once
// The chat-fanout members for a Guildhall server: guest accounts that authenticate over the SDK's
// client_connection and join one channel named after this process, then send SendMessage requests.
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "bench/fanout_member.hpp"
#include "client/server_url.hpp"

namespace guildhall::bench {

// `server`: ws://HOST:PORT or tcp://HOST:PORT (wss://, tls:// checked as `tls` says), as `guildhall chat` takes.
// Error: a URL the SDK cannot parse.
result<std::unique_ptr<fanout_peer>> make_guildhall_peer(boost::asio::io_context& io, const std::string& server,
                                                          const client::tls_options& tls);

}  // namespace guildhall::bench
