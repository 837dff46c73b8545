"""Server addresses as the C++ SDK and the CLI accept them (src/client/server_url.cpp):

    ws://HOST[:9700][/ws]   wss://...       WebSocket (TLS)
    tcp://HOST[:9701]       tls://...       the native length-prefixed framing (TLS)
    udp://HOST[:9702]       udps://...      UDP (guildhall.udp)

`?http_port=N` names the HTTP (login) port when it is not the usual one: the WebSocket port itself, TCP port - 1,
UDP port - 2.
"""

from __future__ import annotations

from dataclasses import dataclass

_SCHEMES = {"ws": ("websocket", False), "wss": ("websocket", True), "tcp": ("tcp", False), "tls": ("tcp", True),
            "udp": ("udp", False), "udps": ("udp", True)}
_DEFAULT_PORTS = {"websocket": 9700, "tcp": 9701, "udp": 9702}
_HTTP_PORT_OFFSET = {"websocket": 0, "tcp": 1, "udp": 2}


@dataclass(frozen=True)
class ServerUrl:
    kind: str                 # "websocket" | "tcp" | "udp"
    secure: bool              # TLS (wss, tls, https) / encrypted UDP addresses announced over https
    host: str
    port: int
    path: str                 # WebSocket path, "/ws" by default
    http_port: int

    @property
    def http_base(self) -> str:
        """The HTTP API's root: http(s)://host:http_port."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.secure else 'http'}://{host}:{self.http_port}"

    def with_kind(self, kind: str) -> "ServerUrl":
        """The same server over another transport, on that transport's usual port relative to the HTTP port."""
        port = self.http_port + _HTTP_PORT_OFFSET[kind]
        return ServerUrl(kind, self.secure, self.host, port, "/ws", self.http_port)


def _port(text: str, what: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"bad {what} in server URL: {text!r}")
    return int(text)


def parse_server_url(text: str) -> ServerUrl:
    """Parses `text`; raises ValueError saying what is wrong."""
    scheme, sep, rest = text.partition("://")
    if not sep or scheme not in _SCHEMES:
        raise ValueError("server URL must start with ws://, wss://, tcp://, tls://, udp:// or udps://")
    kind, secure = _SCHEMES[scheme]
    http_port: int | None = None
    rest, query_sep, query = rest.partition("?")
    if query_sep:
        name, _, value = query.partition("=")
        if name != "http_port":
            raise ValueError(f"unknown server URL parameter {name!r} (only http_port)")
        http_port = _port(value, "http_port")
    authority, slash, path = rest.partition("/")
    path = "/" + path if slash else "/ws"
    if authority.startswith("["):                       # [::1]:9700
        host, _, after = authority[1:].partition("]")
        port_text = after[1:] if after.startswith(":") else ""
    else:
        host, colon, port_text = authority.rpartition(":")
        if not colon:
            host, port_text = authority, ""
    if not host:
        raise ValueError("server URL has no host")
    port = _port(port_text, "port") if port_text else _DEFAULT_PORTS[kind]
    if http_port is None:
        http_port = port - _HTTP_PORT_OFFSET[kind]
    return ServerUrl(kind, secure, host, port, path, http_port)
