#include "server/http_errors.hpp"

#include <google/protobuf/util/json_util.h>

#include "wire/codec.hpp"

namespace guildhall::server {
namespace v1 = wire::v1;

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
    case errc::unavailable: return 503;
    default: return 500;
  }
}

net::http_response error_response(const error& failure) {
  v1::Error body;
  body.set_code(wire::to_wire(failure.code));
  body.set_message(failure.message);
  body.set_retry_after_ms(failure.retry_after_ms);
  std::string json;
  google::protobuf::util::MessageToJsonString(body, &json);
  net::http_response response{status_of(failure.code), "application/json", R"({"error":)" + json + "}", {}};
  if (failure.retry_after_ms > 0) {
    // Retry-After is in whole seconds: round up, so a client that obeys it never comes back too early.
    response.headers.emplace_back("Retry-After", std::to_string((failure.retry_after_ms + 999) / 1000));
  }
  return response;
}

}  // namespace guildhall::server
