#include "net/listener.hpp"

#include <boost/asio/socket_base.hpp>

#include "net/detail/shard_contexts.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

listener::listener(shard_pool& shards, accept_callback on_accept)
    : shards_(shards), on_accept_(std::move(on_accept)) {}

result<void> listener::bind(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(errc::invalid_argument, "bad listen address '" + host + "'");
  for (unsigned shard = 0; shard < shards_.size(); ++shard) {
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(shards_.contexts().shards[shard]->io);
    const asio::ip::tcp::endpoint endpoint(address, shard == 0 ? port : port_);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->set_option(reuse_port(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return fail(errc::internal, "cannot listen on " + host + ":" + std::to_string(endpoint.port()) + ": " + ec.message());
    }
    if (shard == 0) port_ = acceptor->local_endpoint().port();
    acceptors_.push_back(std::move(acceptor));
  }
  return {};
}

void listener::start() {
  for (unsigned shard = 0; shard < acceptors_.size(); ++shard) {
    shards_.post(shard, [this, shard] { accept_next(shard); });
  }
}

void listener::accept_next(unsigned shard) {
  acceptors_[shard]->async_accept([this, shard](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptors_[shard]->is_open()) return;
    if (!ec) on_accept_(shard, std::move(socket));
    // Other errors (out of descriptors) are transient: keep accepting.
    accept_next(shard);
  });
}

void listener::stop() {
  for (unsigned shard = 0; shard < acceptors_.size(); ++shard) {
    shards_.post(shard, [this, shard] {
      boost::system::error_code ignored;
      acceptors_[shard]->close(ignored);
    });
  }
}

}  // namespace guildhall::net
