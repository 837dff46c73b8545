#pragma once
// The HTTP surface: the auth API (POST /v1/auth/register|login|guest|refresh), /healthz (alive), /readyz
// (server/readiness.hpp), /metrics (Prometheus), the match routes (server/http_matches.hpp) and the web client.
// Thread-safety: handle() runs on a shard; answers come from auth worker or database threads through `respond`.
#include "net/http_types.hpp"
#include "server/http_matches.hpp"
#include "server/readiness.hpp"
#include "server/static_files.hpp"
#include "services/auth/auth_service.hpp"

namespace guildhall::server {

class http_api final : public net::http_handler {
 public:
  http_api(services::auth_service& auth, match_routes& matches, const static_files& files, readiness& ready)
      : auth_(auth), matches_(matches), files_(files), ready_(ready) {}

  void handle(net::http_request request, net::http_responder respond) override;

 private:
  void handle_auth(const std::string& action, const net::http_request& request, net::http_responder respond);

  services::auth_service& auth_;
  match_routes& matches_;
  const static_files& files_;
  readiness& ready_;
};

}  // namespace guildhall::server
