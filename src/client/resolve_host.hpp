#pragma once
// Name lookup that skips the resolver for a numeric address. Asio runs an io_context's lookups on a thread of its
// own, started at the first lookup and kept for the io_context's life; a program with many event loops (the load
// generator holds one SDK client, so one io_context, per player) started a thread per client just to "resolve"
// 127.0.0.1 (1,200 threads for 1,200 idle connections). A numeric host is answered without that thread, still
// asynchronously (posted, never inside the call), so callers see no difference.
// Thread-safety: as the resolver's.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <string>
#include <utility>

namespace guildhall::client {

// Calls `handler(error_code, tcp::resolver::results_type)` as resolver.async_resolve(host, port) would.
template <typename Handler>
void async_resolve_host(boost::asio::ip::tcp::resolver& resolver, const std::string& host, std::uint16_t port,
                        Handler&& handler) {
  boost::system::error_code not_numeric;
  const auto address = boost::asio::ip::make_address(host, not_numeric);
  if (not_numeric) return resolver.async_resolve(host, std::to_string(port), std::forward<Handler>(handler));
  // basic_resolver_results::create is what the resolver itself builds its answer with (public, undocumented).
  auto found = boost::asio::ip::tcp::resolver::results_type::create(boost::asio::ip::tcp::endpoint(address, port),
                                                                     host, std::to_string(port));
  boost::asio::post(resolver.get_executor(),
                    [handler = std::forward<Handler>(handler), found = std::move(found)]() mutable {
                      handler(boost::system::error_code{}, std::move(found));
                    });
}

}  // namespace guildhall::client
