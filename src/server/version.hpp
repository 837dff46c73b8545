#pragma once
// The build's version: the CMake project version, and `git describe` of the source tree when it was configured
// (when it is a git checkout), e.g. "0.1.0 (c162416-dirty)". Shown by `guildhall --version` and as
// guildhall_build_info on /metrics.
#include <string_view>

namespace guildhall::server {

std::string_view version();

}  // namespace guildhall::server
