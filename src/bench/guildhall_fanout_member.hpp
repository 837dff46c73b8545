#pragma once
// The chat-fanout members for a Guildhall server: guest accounts, each one SDK client (guildhall::client::client)
// that logs in, connects and joins one channel named after this process, then sends chat messages. The peer polls
// every member's client each kPollPeriod (client_pump) on the run's io_context.
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
