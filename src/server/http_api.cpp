#include "server/http_api.hpp"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include "base/ids.hpp"
#include "base/log.hpp"
#include "base/metrics.hpp"
#include "base/refusals.hpp"
#include "server/http_errors.hpp"
#include "server/server_metrics.hpp"
#include "wire/codec.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;

namespace {

net::http_response session_response(const services::session_tokens& tokens) {
  v1::AuthSession body;
  body.set_user_id(tokens.user_id);
  body.set_username(tokens.username);
  body.set_token(tokens.access_token);
  body.set_refresh_token(tokens.refresh_token);
  body.set_expires_at_ms(tokens.expires_at_ms);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(body, &json, options);
  return {200, "application/json", std::move(json), {{"Cache-Control", "no-store"}}};
}

}  // namespace

void http_api::handle(net::http_request request, net::http_responder respond) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  respond = counted(route_of(path), std::move(respond));
  if (path == "/healthz") return respond({200, "text/plain", "ok\n", {}});  // alive: it answered
  if (path == "/readyz") return ready_.check(std::move(respond));
  if (path == "/metrics" && (request.method == "GET" || request.method == "HEAD")) {
    return respond({200, std::string(metrics::kContentType), metrics_text(), {{"Cache-Control", "no-store"}}});
  }
  constexpr std::string_view kAuthPrefix = "/v1/auth/";
  if (path.starts_with(kAuthPrefix)) {
    if (request.method != "POST") return respond(error_response({errc::invalid_argument, "use POST"}));
    return handle_auth(path.substr(kAuthPrefix.size()), request, std::move(respond));
  }
  if (path == "/v1/udp/connect-token" && udp_tokens_) {
    if (request.method != "POST") return respond(error_response({errc::invalid_argument, "use POST"}));
    // Cheap (one seal), but a stranger with a token could ask in a loop: the read budget per address bounds it.
    if (!within_rate(read_limiter_, request.remote_address, respond)) return;
    return handle_connect_token(request, std::move(respond));
  }
  if (request.method == "GET" || request.method == "HEAD") {
    const auto query_at = request.target.find('?');
    const std::string query = query_at == std::string::npos ? std::string() : request.target.substr(query_at + 1);
    // Leaderboards and PGN read the database: a per-address budget keeps one client from queueing reads
    // for everyone.
    const bool reads_store = path.starts_with("/v1/leaderboards/") || path.starts_with("/v1/matches/");
    if (reads_store && !within_rate(read_limiter_, request.remote_address, respond)) return;
    if (matches_.handle(path, query, respond)) return;
    if (auto file = files_.find(path)) return respond(std::move(*file));
  }
  respond(error_response({errc::not_found, "no such page: " + path}));
}

bool http_api::within_rate(services::address_rate_limiter& limiter, const std::string& address,
                           net::http_responder& respond) {
  const std::int64_t now = unix_now_ms();
  if (limiter.allow(address, now)) return true;
  count_refusal(refusal_reason::ip_limit);
  constexpr std::uint32_t kDefaultRetryAfterMs = 1'000;  // when the address is not tracked (the map was full)
  const std::uint32_t retry = limiter.retry_after_ms(address, now);
  respond(error_response({errc::rate_limited, "too many requests from your address: slow down",
                          retry > 0 ? retry : kDefaultRetryAfterMs}));
  return false;
}

void http_api::handle_connect_token(const net::http_request& request, net::http_responder respond) {
  v1::ConnectTokenRequest parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(request.body, &parsed);
  if (!status.ok()) {
    return respond(error_response({errc::invalid_argument, "body must be JSON: " + std::string(status.message())}));
  }
  const std::int64_t now_ms = unix_now_ms();
  auto claims = auth_.verify_access_token(parsed.token(), now_ms);
  if (!claims) return respond(error_response(claims.error()));
  auto token = udp_tokens_->issue(*claims, request.local_address, static_cast<std::uint64_t>(now_ms / 1000));
  if (!token) return respond(error_response(token.error()));
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(*token, &json, options);
  respond({200, "application/json", std::move(json), {{"Cache-Control", "no-store"}}});
}

void http_api::handle_auth(const std::string& action, const net::http_request& request, net::http_responder respond) {
  // Login and register run argon2, the most expensive thing a stranger can make us do.
  if ((action == "login" || action == "register") && !within_rate(login_limiter_, request.remote_address, respond)) {
    return;
  }
  v1::AuthRequest parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(request.body, &parsed);
  if (!status.ok()) {
    return respond(error_response({errc::invalid_argument, "body must be JSON: " + std::string(status.message())}));
  }
  if (action == "logout") {
    return auth_.logout(parsed.refresh_token(), [respond = std::move(respond)](result<void> outcome) mutable {
      respond(outcome ? net::http_response{200, "application/json", "{}", {{"Cache-Control", "no-store"}}}
                      : error_response(outcome.error()));
    });
  }
  auto done = [respond = std::move(respond), action, username = parsed.username(),
               address = request.remote_address](result<services::session_tokens> outcome) mutable {
    // For operators: who failed to get in, from where, and why; never the password.
    if (!outcome) {
      spdlog::warn("{} failed: user=\"{}\" address={}: {}", action, printable(username), address,
                   outcome.error().message);
    }
    respond(outcome ? session_response(*outcome) : error_response(outcome.error()));
  };
  if (action == "register") return auth_.register_user(parsed.username(), parsed.password(), std::move(done));
  if (action == "login") return auth_.login(parsed.username(), parsed.password(), std::move(done));
  if (action == "guest") return auth_.login_guest(parsed.device_id(), std::move(done));
  if (action == "refresh") return auth_.refresh(parsed.refresh_token(), std::move(done));
  done(fail(errc::not_found, "no such auth action: " + action));
}

}  // namespace guildhall::server
