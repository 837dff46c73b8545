#include "server/readiness.hpp"

#include <memory>
#include <string>

namespace guildhall::server {
namespace {

net::http_response ready() {
  return {200, "application/json", R"({"status":"ready"})", {{"Cache-Control", "no-store"}}};
}

net::http_response not_ready(const std::string& reason) {
  std::string escaped;
  for (char c : reason) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return {503, "application/json", R"({"status":"not ready","reason":")" + escaped + "\"}",
          {{"Cache-Control", "no-store"}}};
}

// The database's answer and the deadline race; the first to arrive answers.
struct probe {
  explicit probe(net::http_responder to) : respond(std::move(to)) {}
  void answer(net::http_response response) {
    if (!answered.exchange(true, std::memory_order_acq_rel)) respond(std::move(response));
  }
  std::atomic<bool> answered{false};
  net::http_responder respond;
};

}  // namespace

void readiness::check(net::http_responder respond) {
  const state now = state_.load(std::memory_order_acquire);
  if (now == state::starting) return respond(not_ready("starting"));
  if (now == state::draining) return respond(not_ready("draining: the server is shutting down"));

  auto pending = std::make_shared<probe>(std::move(respond));
  const std::uint32_t timeout_ms = timeout_ms_;
  shards_.post_after(net::shard_pool::current_shard().value_or(0), std::chrono::milliseconds(timeout_ms),
                     [pending, timeout_ms] {
                       pending->answer(not_ready("database: no answer within " + std::to_string(timeout_ms) + " ms"));
                     });
  db_.read([pending](store::backend& backend) {
    auto answered = backend.ping();
    pending->answer(answered ? ready() : not_ready("database: " + answered.error().message));
  });
}

}  // namespace guildhall::server
