#pragma once
// The load generator holds a socket (and, through the SDK, an event loop) per simulated player.

namespace guildhall::bench {

// Raises the open-file limit to its hard maximum.
void raise_open_file_limit();

}  // namespace guildhall::bench
