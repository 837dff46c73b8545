#include "services/delivery.hpp"

namespace guildhall::services {

void send_on_shard(net::shard_pool& shards, const std::shared_ptr<net::connection>& connection,
                   wire::shared_message message) {
  if (net::shard_pool::current_shard() == connection->shard()) {
    connection->send(std::move(message));
    return;
  }
  shards.post(connection->shard(), [connection, message = std::move(message)] { connection->send(message); });
}

void deliver(net::shard_pool& shards, const std::shared_ptr<net::connection>& connection, wire::v1::Envelope envelope) {
  auto send_now = [connection](const wire::v1::Envelope& message) {
    connection->send(wire::encode_shared(message, connection->format() == wire::payload_format::json));
  };
  if (net::shard_pool::current_shard() == connection->shard()) return send_now(envelope);
  // Encoded on the connection's shard, where its format is read.
  shards.post(connection->shard(), [send_now, envelope = std::move(envelope)] { send_now(envelope); });
}

}  // namespace guildhall::services
