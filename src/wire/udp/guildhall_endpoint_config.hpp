#pragma once
// The message layer settings both ends of a Guildhall UDP connection use (server and every client SDK), so what one
// sends the other accepts.
#include "wire/udp/endpoint_config.hpp"

namespace guildhall::wire::udp {

// Messages up to 255 KiB (a full history page of 100 messages of 2000 bytes, a long room list) in 1 KiB fragments. The server holds a client's
// own messages to limits.max_frame_bytes after reassembly, and the endpoint bounds reassembly buffers by its
// receive_buffer_bytes whatever a peer claims.
endpoint_config guildhall_endpoint_config();

}  // namespace guildhall::wire::udp
