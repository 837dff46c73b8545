#pragma once
// The HTTP surface the server layer implements, free of Beast types.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace guildhall::net {

struct http_request {
  std::string method;
  std::string target;  // path and query, as sent
  std::string body;
  std::string remote_address;  // the client's IP address, for per-address limits ("" if unknown)
  // The server's IP address this request reached ("" if unknown): the address a client on that network can also
  // reach our other ports at (the UDP connect token names it).
  std::string local_address;
};

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// May be called from any thread, exactly once; the session writes the answer on its own shard.
using http_responder = std::move_only_function<void(http_response)>;

class http_handler {
 public:
  virtual ~http_handler() = default;
  // Called on the session's shard. Slow work (password hashing, database) must move off the shard and answer
  // through `respond` later.
  virtual void handle(http_request request, http_responder respond) = 0;
};

}  // namespace guildhall::net
