#pragma once
// HTTP error answers: an `{"error": Error}` JSON body with the status that fits the error kind.
#include "base/result.hpp"
#include "net/http_types.hpp"

namespace guildhall::server {

unsigned status_of(errc code);
net::http_response error_response(const error& failure);

}  // namespace guildhall::server
