#pragma once
// Marks what the SDK's shared library exports. The library is built with hidden visibility, so everything else in
// it (Asio, protobuf, the internal client) stays private to the .so and cannot clash with a game's own copies.
#if defined(GUILDHALL_CLIENT_BUILDING)
#define GUILDHALL_CLIENT_API __attribute__((visibility("default")))
#else
#define GUILDHALL_CLIENT_API
#endif
