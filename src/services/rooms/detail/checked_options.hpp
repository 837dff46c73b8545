#pragma once
// rooms_service internals: the options of a CreateRoom or JoinRoom, checked against the service's limits.
#include <google/protobuf/map.h>

#include <string>

#include "base/result.hpp"
#include "guildhall/room.hpp"
#include "services/rooms/rooms_service.hpp"

namespace guildhall::services {

inline result<room_options> checked_options(const google::protobuf::Map<std::string, std::string>& given) {
  if (given.size() > rooms_service::kMaxOptions) return fail(errc::invalid_argument, "at most 16 options");
  room_options out;
  for (const auto& [key, value] : given) {
    if (key.empty() || key.size() > rooms_service::kMaxOptionBytes || value.size() > rooms_service::kMaxOptionBytes) {
      return fail(errc::invalid_argument, "option names are 1..256 bytes and values at most 256");
    }
    out.emplace(key, value);
  }
  return out;
}

}  // namespace guildhall::services
