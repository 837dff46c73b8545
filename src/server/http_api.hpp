#pragma once
// The HTTP surface: the auth API (POST /v1/auth/register|login|guest|refresh), /healthz, the match routes
// (server/http_matches.hpp) and the web client.
// Thread-safety: handle() runs on a shard; answers come from auth worker or database threads through `respond`.
#include <atomic>

#include "net/http_types.hpp"
#include "server/http_matches.hpp"
#include "server/static_files.hpp"
#include "services/auth/auth_service.hpp"

namespace guildhall::server {

class http_api final : public net::http_handler {
 public:
  http_api(services::auth_service& auth, match_routes& matches, const static_files& files)
      : auth_(auth), matches_(matches), files_(files) {}

  void handle(net::http_request request, net::http_responder respond) override;
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_release); }

 private:
  void handle_auth(const std::string& action, const std::string& body, net::http_responder respond);

  services::auth_service& auth_;
  match_routes& matches_;
  const static_files& files_;
  std::atomic<bool> ready_{false};
};

}  // namespace guildhall::server
