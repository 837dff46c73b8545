#pragma once
// The HTTP surface: the auth API (POST /v1/auth/register|login|guest|refresh|logout), /healthz (alive), /readyz
// (server/readiness.hpp), /metrics (Prometheus), the match routes (server/http_matches.hpp) and the web client.
// Thread-safety: handle() runs on a shard; answers come from auth worker or database threads through `respond`.
#include <algorithm>

#include "net/http_types.hpp"
#include "server/connect_token_issuer.hpp"
#include "server/http_matches.hpp"
#include "server/readiness.hpp"
#include "server/static_files.hpp"
#include "services/address_rate_limiter.hpp"
#include "services/auth/auth_service.hpp"

namespace guildhall::server {

class http_api final : public net::http_handler {
 public:
  // `logins_per_minute`: login and register attempts per client address; `reads_per_minute`: leaderboard and
  // PGN requests per client address (burst: a tenth). 0 disables either.
  http_api(services::auth_service& auth, match_routes& matches, const static_files& files, readiness& ready,
           double logins_per_minute, double reads_per_minute)
      : auth_(auth),
        matches_(matches),
        files_(files),
        ready_(ready),
        login_limiter_(logins_per_minute, logins_per_minute),
        read_limiter_(reads_per_minute, std::max(1.0, reads_per_minute / 10)) {}

  void handle(net::http_request request, net::http_responder respond) override;
  // Serves POST /v1/udp/connect-token with it; without one (UDP off) that path is 404.
  void set_connect_tokens(const connect_token_issuer* issuer) { udp_tokens_ = issuer; }

 private:
  void handle_auth(const std::string& action, const net::http_request& request, net::http_responder respond);
  void handle_connect_token(const net::http_request& request, net::http_responder respond);
  // False (and `respond` answered 429 with Retry-After) when `address` is over `limiter`'s rate.
  static bool within_rate(services::address_rate_limiter& limiter, const std::string& address,
                          net::http_responder& respond);

  services::auth_service& auth_;
  match_routes& matches_;
  const static_files& files_;
  readiness& ready_;
  services::address_rate_limiter login_limiter_;
  services::address_rate_limiter read_limiter_;
  const connect_token_issuer* udp_tokens_ = nullptr;
};

}  // namespace guildhall::server
