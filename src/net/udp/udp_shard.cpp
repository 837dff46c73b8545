#include "net/udp/udp_shard.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>

#include "base/ids.hpp"
#include "net/connection_ids.hpp"
#include "net/net_metrics.hpp"
#include "net/udp/peer_conversion.hpp"
#include "net/udp/udp_metrics.hpp"
#include "wire/udp/payload_sinks.hpp"

namespace guildhall::net {
namespace asio = boost::asio;
namespace udp = wire::udp;

namespace {

// Resends, acks and keep-alives run on this beat. With a simulated network it is finer, so the simulated latency
// is not rounded up by a whole beat.
constexpr std::chrono::milliseconds kTickPeriod{10};
constexpr std::chrono::milliseconds kImpairedTickPeriod{2};
// Batches read per readable wake-up before other work on the shard gets its turn.
constexpr int kMaxBatchesPerWake = 8;

std::uint64_t steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

udp_shard::udp_shard(asio::io_context& io, unsigned shard, std::unique_ptr<datagram_socket> socket,
                     udp_shard_settings settings, const handler_factory& make_handler)
    : io_(io),
      shard_(shard),
      socket_(std::move(socket)),
      readable_(io, socket_->fd()),
      tick_timer_(io),
      settings_(std::move(settings)),
      make_handler_(make_handler),
      protocol_(settings_.protocol, *this) {
  if (settings_.impairment) {
    // Each direction gets its own stream of chances, both from the one seed.
    auto inbound = *settings_.impairment;
    auto outbound = *settings_.impairment;
    inbound.seed = inbound.seed * 2 + shard;
    outbound.seed = outbound.seed * 2 + 1 + shard;
    inbound_sim_.emplace(inbound);
    outbound_sim_.emplace(outbound);
  }
}

udp_shard::~udp_shard() {
  // The descriptor belongs to socket_: the Asio object only waits on it.
  readable_.release();
}

void udp_shard::take_time() {
  now_ms_ = steady_ms();
  unix_now_ms_ = static_cast<std::uint64_t>(unix_now_ms());
}

void udp_shard::start() {
  take_time();
  wait_readable();
  arm_tick();
}

void udp_shard::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  readable_.cancel(ignored);
  tick_timer_.cancel();
}

void udp_shard::wait_readable() {
  readable_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    read_datagrams();
    wait_readable();
  });
}

void udp_shard::read_datagrams() {
  take_time();
  auto& counted = udp_network_metrics();
  const auto truncated_before = socket_->stats().truncated;
  const auto refused_before = protocol_.drops();
  for (int batch = 0; batch < kMaxBatchesPerWake; ++batch) {
    const auto datagrams = socket_->receive_batch();
    if (datagrams.empty()) break;
    counted.datagrams.add(0, datagrams.size());
    for (const auto& datagram : datagrams) {
      const auto from = to_peer_address(*datagram.from);
      if (inbound_sim_) {
        inbound_sim_->submit(datagram.bytes, from, now_ms_);
      } else {
        protocol_.receive(from, datagram.bytes, unix_now_ms_, *this);
      }
    }
    if (datagrams.size() < datagram_socket::kBatch) break;
  }
  if (const auto cut = socket_->stats().truncated - truncated_before) count_udp_drop(udp_drop::truncated, cut);
  count_refusals(refused_before, protocol_.drops());
  flush();
}

void udp_shard::arm_tick() {
  tick_timer_.expires_after(settings_.impairment ? kImpairedTickPeriod : kTickPeriod);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    tick();
    arm_tick();
  });
}

void udp_shard::tick() {
  take_time();
  const auto refused_before = protocol_.drops();
  if (inbound_sim_) {
    inbound_sim_->deliver_due(now_ms_, [this](const udp::peer_address& from, std::span<const std::uint8_t> bytes) {
      protocol_.receive(from, bytes, unix_now_ms_, *this);
    });
  }
  protocol_.update(unix_now_ms_, *this);  // keep-alives and time-outs (on_disconnected)
  std::vector<udp::client_handle> leaving;
  for (auto& [key, connection] : connections_) {
    connection->check_idle(now_ms_, settings_.idle_timeout_ms);
    write_connection(*connection, now_ms_);  // resends and acks are due by time, not only after a send
    if (connection->ready_to_go(now_ms_, settings_.close_linger_ms)) leaving.push_back(connection->client());
  }
  for (const auto client : leaving) {
    protocol_.disconnect(client, *this);
    forget(client);
  }
  count_refusals(refused_before, protocol_.drops());
  flush();
}

void udp_shard::wants_to_write(udp_connection& connection) {
  to_write_.push_back(handle_key(connection.client()));
  if (flush_posted_) return;
  flush_posted_ = true;
  // After the handlers already queued: every message of this burst (a tick's snapshots) goes in one batch.
  asio::post(io_, [this] {
    flush_posted_ = false;
    if (stopped_) return;
    take_time();
    flush();
  });
}

void udp_shard::flush() {
  for (const auto key : to_write_) {
    if (auto found = connections_.find(key); found != connections_.end()) write_connection(*found->second, now_ms_);
  }
  to_write_.clear();
  if (outbound_sim_) {
    outbound_sim_->deliver_due(now_ms_, [this](const udp::peer_address& to, std::span<const std::uint8_t> bytes) {
      socket_->send_copy(to_socket_address(to), bytes);
    });
  }
  if (socket_->has_queued()) {
    const auto before = socket_->stats();
    socket_->flush();
    const auto& after = socket_->stats();
    udp_network_metrics().datagrams.add(1, after.datagrams_sent - before.datagrams_sent);
    if (const auto failed = after.send_dropped - before.send_dropped) count_udp_drop(udp_drop::send_failed, failed);
  }
}

void udp_shard::write_connection(udp_connection& connection, std::uint64_t now_ms) {
  udp::server_payload_sink sink(protocol_, connection.client(), unix_now_ms_, *this);
  connection.write_packets(now_ms, sink);
}

void udp_shard::send(const udp::peer_address& to, std::span<const std::uint8_t> bytes) {
  network_metrics().bytes_sent.add(kUdpTransportSeries, bytes.size());
  if (outbound_sim_) return outbound_sim_->submit(bytes, to, now_ms_);
  socket_->send_copy(to_socket_address(to), bytes);
}

void udp_shard::on_connected(udp::client_handle client, const udp::peer_address& from, const udp::token_identity& who) {
  auto connection = std::make_shared<udp_connection>(next_connection_id(), shard_, *this, client, from.to_string(),
                                                     settings_.endpoint, settings_.max_frame_bytes);
  connections_.emplace(handle_key(client), connection);
  live_.fetch_add(1, std::memory_order_relaxed);
  count_accepted(kUdpTransportSeries);
  connection->attach(make_handler_(connection));
  spdlog::debug("udp connection {} from {} for user {} ({})", connection->id(), from.to_string(), who.user_id,
                who.username);
  // The token proved who this is. No expiry applies once connected (the token's only bounded the handshake).
  connection->handler()->on_authenticated_by_transport(transport_identity{who.user_id, who.username, 0});
}

void udp_shard::on_payload(udp::client_handle client, std::uint64_t sequence, std::span<const std::uint8_t> payload) {
  auto found = connections_.find(handle_key(client));
  if (found == connections_.end()) return;
  auto keep = found->second;  // a handler may close it; it stays in the map until the next tick anyway
  keep->on_packet(payload, sequence, now_ms_);
}

void udp_shard::on_disconnected(udp::client_handle client, udp::disconnect_reason) { forget(client); }

void udp_shard::forget(udp::client_handle client) {
  auto found = connections_.find(handle_key(client));
  if (found == connections_.end()) return;
  auto connection = std::move(found->second);
  connections_.erase(found);
  live_.fetch_sub(1, std::memory_order_relaxed);
  count_closed(kUdpTransportSeries, connection->close_code());
  connection->on_gone();
}

void udp_shard::close_all(wire::close_code code, std::string_view reason) {
  std::vector<std::shared_ptr<udp_connection>> open;
  for (auto& [key, connection] : connections_) open.push_back(connection);
  for (auto& connection : open) connection->close(code, reason);
}

}  // namespace guildhall::net
