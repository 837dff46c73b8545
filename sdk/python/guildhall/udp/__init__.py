"""Guildhall's UDP transport for Python (docs/protocol.md "UDP"): connect token, encrypted connection layer,
message layer with reliable-ordered and unreliable channels, and the asyncio adapter."""
from .connect_token import ConnectToken, parse_address
from .connection import ClientConnection, ClientState, Datagram, Payload
from .messages import MessageEndpoint
from .transport import (INPUT_SLOT, UdpOptions, UdpTransport, connect_udp, fetch_connect_token, open_transport,
                        open_udp, request_connect_token)

__all__ = ["ClientConnection", "ClientState", "ConnectToken", "Datagram", "INPUT_SLOT", "MessageEndpoint",
           "Payload", "UdpOptions", "UdpTransport", "connect_udp", "fetch_connect_token", "open_transport", "open_udp",
           "parse_address", "request_connect_token"]
