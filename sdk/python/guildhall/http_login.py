"""The HTTP API's logins (docs/protocol.md, "HTTP API"): register, login, guest, refresh, logout, and the UDP
connect token. HTTP/1.1 spoken on asyncio streams (one request per connection), so a login never blocks the loop.

Each call is bounded by `timeout_s` as a whole and raises: ConnectionRefused, ConnectTimeout, ConnectionLost,
AuthFailed (401: wrong password, spent or unknown refresh token, expired token), ServerError (any other error
answer, with its code: USERNAME_TAKEN, INVALID_ARGUMENT, RATE_LIMITED...), ProtocolError (not the API's answer).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from guildhall.errors import AuthFailed, ConnectionLost, ConnectTimeout, ProtocolError, ServerError
from guildhall.options import ClientOptions
from guildhall.server_url import ServerUrl
from guildhall.transport._streams import close_writer, open_stream

MAX_ANSWER_BYTES = 64 * 1024  # a session or a connect token is a few KiB; anything bigger is not our server
_AUTH_CODES = ("AUTH_FAILED", "TOKEN_EXPIRED")


@dataclass(frozen=True)
class LoginSession:
    """The tokens of a login. Keep refresh_token to log in again later without the password; each refresh
    rotates it (the one sent stops working), so always keep the newest."""

    user_id: int
    username: str
    access_token: str
    refresh_token: str
    expires_at_ms: int  # the access token's expiry (Unix ms)

    @staticmethod
    def from_json(body: dict[str, Any]) -> "LoginSession":
        try:
            return LoginSession(int(body.get("user_id", 0)), str(body["username"]), str(body["token"]),
                                str(body.get("refresh_token", "")), int(body.get("expires_at_ms", 0)))
        except (KeyError, ValueError, TypeError) as error:
            raise ProtocolError(f"not a session: {error}") from error


async def _exchange(url: ServerUrl, path: str, body: dict[str, Any], options: ClientOptions) -> tuple[int, bytes]:
    reader, writer = await open_stream(url.host, url.http_port, url.secure, options)
    try:
        payload = json.dumps(body).encode()
        writer.write((f"POST {path} HTTP/1.1\r\nHost: {url.host}:{url.http_port}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                      f"Connection: close\r\n\r\n").encode() + payload)
        await writer.drain()
        answer = await reader.read(MAX_ANSWER_BYTES + 1)
        while len(answer) <= MAX_ANSWER_BYTES:
            more = await reader.read(MAX_ANSWER_BYTES + 1 - len(answer))
            if not more:
                break
            answer += more
    except OSError as error:
        raise ConnectionLost(f"POST {path} failed: {error}") from error
    finally:
        await close_writer(writer)
    if len(answer) > MAX_ANSWER_BYTES:
        raise ProtocolError(f"the answer to POST {path} is over {MAX_ANSWER_BYTES} bytes")
    head, sep, content = answer.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split(b" ")
    if not sep or len(status_line) < 2 or not status_line[1].isdigit():
        raise ProtocolError(f"not an HTTP answer to POST {path}")
    if b"transfer-encoding: chunked" in head.lower():
        raise ProtocolError("chunked HTTP answers are not expected from the API")
    return int(status_line[1]), content


async def call_api(url: ServerUrl, path: str, body: dict[str, Any], options: ClientOptions) -> dict[str, Any]:
    """POSTs `body` as JSON to `path` and returns the JSON answer, or raises as the module says."""
    try:
        status, content = await asyncio.wait_for(_exchange(url, path, body, options), options.login_timeout_s)
    except asyncio.TimeoutError as error:
        raise ConnectTimeout(f"POST {path} to {url.http_base} took over {options.login_timeout_s:g} s") from error
    try:
        answer = json.loads(content or b"{}")
    except ValueError as error:
        raise ProtocolError(f"POST {path} answered {status} with something that is not JSON") from error
    if not isinstance(answer, dict):
        raise ProtocolError(f"POST {path} answered {status} with JSON that is not an object")
    if status != 200:
        raw_detail = answer.get("error")
        detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
        code = str(detail.get("code", status))
        message = str(detail.get("message", "")) or f"HTTP {status}"
        if code in _AUTH_CODES or status == 401:
            raise AuthFailed(code, message, path)
        raise ServerError(code, message, path)
    return answer


async def register(url: ServerUrl, username: str, password: str, options: ClientOptions) -> LoginSession:
    """Creates an account and logs in. USERNAME_TAKEN and INVALID_ARGUMENT come as ServerError."""
    body = {"username": username, "password": password}
    return LoginSession.from_json(await call_api(url, "/v1/auth/register", body, options))


async def login(url: ServerUrl, username: str, password: str, options: ClientOptions) -> LoginSession:
    """Logs in with a password; AuthFailed when wrong."""
    body = {"username": username, "password": password}
    return LoginSession.from_json(await call_api(url, "/v1/auth/login", body, options))


async def login_guest(url: ServerUrl, device_id: str, options: ClientOptions) -> LoginSession:
    """The guest account of `device_id` (8..128 of [A-Za-z0-9_.-]): the same device gets the same account."""
    return LoginSession.from_json(await call_api(url, "/v1/auth/guest", {"device_id": device_id}, options))


async def refresh(url: ServerUrl, refresh_token: str, options: ClientOptions) -> LoginSession:
    """A new session for a refresh token; the token sent is spent (keep the new one). AuthFailed when unknown."""
    body = {"refresh_token": refresh_token}
    return LoginSession.from_json(await call_api(url, "/v1/auth/refresh", body, options))


async def logout(url: ServerUrl, refresh_token: str, options: ClientOptions) -> None:
    """Revokes that login's refresh tokens (sockets already open stay open)."""
    await call_api(url, "/v1/auth/logout", {"refresh_token": refresh_token}, options)


async def fetch_connect_token(url: ServerUrl, access_token: str, options: ClientOptions) -> dict[str, Any]:
    """POST /v1/udp/connect-token: the ConnectToken as its protobuf-JSON mapping (bytes in base64). ServerError
    NOT_FOUND (HTTP 404) when the server has UDP off; AuthFailed for a bad or expired access token."""
    return await call_api(url, "/v1/udp/connect-token", {"token": access_token}, options)
