#include "server/http_api.hpp"

#include <google/protobuf/util/json_util.h>

#include "wire/codec.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;

namespace {

unsigned status_of(errc code) {
  switch (code) {
    case errc::invalid_argument:
    case errc::bad_frame:
    case errc::invalid_utf8: return 400;
    case errc::auth_failed:
    case errc::token_expired: return 401;
    case errc::not_found: return 404;
    case errc::conflict: return 409;
    case errc::rate_limited: return 429;
    default: return 500;
  }
}

net::http_response error_response(const error& failure) {
  v1::Error body;
  body.set_code(wire::to_wire(failure.code));
  body.set_message(failure.message);
  std::string json;
  google::protobuf::util::MessageToJsonString(body, &json);
  return {status_of(failure.code), "application/json", R"({"error":)" + json + "}", {}};
}

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
  if (path == "/healthz") {
    if (!ready_.load(std::memory_order_acquire)) return respond({503, "text/plain", "starting\n", {}});
    return respond({200, "text/plain", "ok\n", {}});
  }
  constexpr std::string_view kAuthPrefix = "/v1/auth/";
  if (path.starts_with(kAuthPrefix)) {
    if (request.method != "POST") return respond(error_response({errc::invalid_argument, "use POST"}));
    return handle_auth(path.substr(kAuthPrefix.size()), request.body, std::move(respond));
  }
  if (request.method == "GET" || request.method == "HEAD") {
    if (auto file = files_.find(path)) return respond(std::move(*file));
  }
  respond(error_response({errc::not_found, "no such page: " + path}));
}

void http_api::handle_auth(const std::string& action, const std::string& body, net::http_responder respond) {
  v1::AuthRequest parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(body, &parsed);
  if (!status.ok()) {
    return respond(error_response({errc::invalid_argument, "body must be JSON: " + std::string(status.message())}));
  }
  auto done = [respond = std::move(respond)](result<services::session_tokens> outcome) mutable {
    respond(outcome ? session_response(*outcome) : error_response(outcome.error()));
  };
  if (action == "register") return auth_.register_user(parsed.username(), parsed.password(), std::move(done));
  if (action == "login") return auth_.login(parsed.username(), parsed.password(), std::move(done));
  if (action == "guest") return auth_.login_guest(parsed.device_id(), std::move(done));
  if (action == "refresh") return auth_.refresh(parsed.refresh_token(), std::move(done));
  done(fail(errc::not_found, "no such auth action: " + action));
}

}  // namespace guildhall::server
