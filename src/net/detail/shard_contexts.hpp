#pragma once
// net-internal: the Asio objects behind shard_pool.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>
#include <vector>

namespace guildhall::net::detail {

struct shard_context {
  boost::asio::io_context io{1};  // one thread runs it: Asio may skip internal locking
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running{io.get_executor()};
};

struct shard_contexts {
  std::vector<std::unique_ptr<shard_context>> shards;
  std::vector<std::thread> threads;
};

}  // namespace guildhall::net::detail
