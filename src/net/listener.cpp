#include "net/listener.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <cerrno>
#include <system_error>
#include <utility>

#include "net/detail/shard_contexts.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace {

// An accepted descriptor on its way to its shard: closed if the shard stops before it is adopted.
class owned_fd {
 public:
  explicit owned_fd(int fd) : fd_(fd) {}
  owned_fd(owned_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  owned_fd& operator=(owned_fd&&) = delete;
  ~owned_fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool out_of_descriptors(int err) { return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM; }

}  // namespace

listener::listener(shard_pool& shards, accept_callback on_accept)
    : shards_(shards), on_accept_(std::move(on_accept)) {}

result<void> listener::bind(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return fail(errc::invalid_argument, "bad listen address '" + host + "'");
  auto& io = shards_.contexts().shards[kAcceptShard]->io;
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(io);
  retry_ = std::make_unique<asio::steady_timer>(io);
  const asio::ip::tcp::endpoint endpoint(address, port);
  acceptor_->open(endpoint.protocol(), ec);
  // Asio opens sockets without SOCK_CLOEXEC. No child exists yet at start-up, so setting it now leaves no window.
  if (!ec && ::fcntl(acceptor_->native_handle(), F_SETFD, FD_CLOEXEC) != 0) {
    ec.assign(errno, boost::system::system_category());
  }
  // SO_REUSEADDR only lets us bind past connections in TIME_WAIT; on Linux it never admits a second listener.
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (ec == asio::error::address_in_use) {
    return fail(errc::internal, "port " + std::to_string(port) + " is in use (on " + host +
                                    "): is another server running? Stop it or choose another port");
  }
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  // accept4 is called directly, until EAGAIN: on a blocking socket the last call would block the shard.
  if (!ec) acceptor_->non_blocking(true, ec);
  if (ec) return fail(errc::internal, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  port_ = acceptor_->local_endpoint().port();
  protocol_ = endpoint.protocol();
  return {};
}

void listener::start() {
  shards_.post(kAcceptShard, [this] { accept_ready(); });
}

void listener::wait_acceptable() {
  acceptor_->async_wait(asio::ip::tcp::acceptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) return;
    accept_ready();
  });
}

// Accepts until the backlog is empty (the reactor is edge-triggered: only then does waiting make sense), for at
// most kMaxAcceptsPerWake connections before letting the shard's other work run.
void listener::accept_ready() {
  if (!acceptor_->is_open()) return;
  for (int accepted = 0; accepted < kMaxAcceptsPerWake; ++accepted) {
    const int fd = ::accept4(acceptor_->native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) {
      if (retry_delay_.count() != 0) {
        spdlog::info("accepting connections on port {} again", port_);
        retry_delay_ = {};
      }
      hand_off(fd);
      continue;
    }
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) return wait_acceptable();
    if (out_of_descriptors(err)) return retry_later(err);
    // Anything else concerns one connection (reset before we took it, EPROTO, EINTR): take the next.
  }
  asio::post(acceptor_->get_executor(), [this] { accept_ready(); });
}

void listener::retry_later(int error_number) {
  if (retry_delay_.count() == 0) {
    // Once per episode: the log would otherwise repeat every second for as long as descriptors stay short.
    spdlog::warn("cannot accept on port {}: out of file descriptors ({}); retrying with back-off", port_,
                 std::error_code(error_number, std::generic_category()).message());
    retry_delay_ = kFirstRetryDelay;
  } else {
    retry_delay_ = std::min(retry_delay_ * 2, kMaxRetryDelay);
  }
  retry_->expires_after(retry_delay_);
  // Try accepting at once when the timer fires: the connections waiting have made no new readiness edge.
  retry_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) accept_ready();
  });
}

void listener::hand_off(int fd) {
  const unsigned shard = next_shard_;
  next_shard_ = (next_shard_ + 1) % shards_.size();
  shards_.post(shard, [this, shard, descriptor = owned_fd(fd)]() mutable {
    asio::ip::tcp::socket socket(shards_.contexts().shards[shard]->io);
    boost::system::error_code ec;
    const int raw = descriptor.release();
    socket.assign(protocol_, raw, ec);
    if (ec) {
      ::close(raw);  // not adopted: the peer sees its connection close
      return;
    }
    on_accept_(shard, std::move(socket));
  });
}

void listener::stop() {
  shards_.post(kAcceptShard, [this] {
    if (!acceptor_) return;
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    retry_->cancel();
  });
}

}  // namespace guildhall::net
