#pragma once
// Sending to a connection from any shard: a connection is used only on its own shard, so a message for one that
// lives elsewhere is posted there. Every service answers and pushes through these two.
#include <memory>

#include "net/connection.hpp"
#include "net/shard_pool.hpp"
#include "wire/codec.hpp"

namespace guildhall::services {

// Sends an already encoded message (a fan-out encodes once for many connections).
void send_on_shard(net::shard_pool& shards, const std::shared_ptr<net::connection>& connection,
                   wire::shared_message message);
// Encodes `envelope` in the connection's format (JSON for WebSocket text clients) and sends it.
void deliver(net::shard_pool& shards, const std::shared_ptr<net::connection>& connection, wire::v1::Envelope envelope);

}  // namespace guildhall::services
