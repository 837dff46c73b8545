#pragma once
// The SDK's version: the project's (CMakeLists.txt project(VERSION)); CMake refuses to configure when they differ.
// The installed package (guildhall-clientConfigVersion.cmake) accepts any request with the same major version.
#define GUILDHALL_CLIENT_VERSION_MAJOR 0
#define GUILDHALL_CLIENT_VERSION_MINOR 1
#define GUILDHALL_CLIENT_VERSION_PATCH 0
#define GUILDHALL_CLIENT_VERSION_STRING "0.1.0"

#include "guildhall/client/export.hpp"

namespace guildhall::client {
// The version of the library actually loaded, which may be newer than the headers a game was built with.
GUILDHALL_CLIENT_API const char* library_version();
}  // namespace guildhall::client
