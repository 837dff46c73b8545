"""guildhall.connect(): log in and connect in one step, as an async context manager (or an awaitable)."""

from __future__ import annotations

from typing import Any, Generator

from guildhall.client import AsyncClient
from guildhall.http_login import LoginSession
from guildhall.options import ClientOptions


class Connector:
    """What connect() returns: `async with connect(...) as client` (closed on exit) or `client = await
    connect(...)` (close it yourself)."""

    def __init__(self, url: str, options: ClientOptions | None, credentials: dict[str, Any]) -> None:
        self._client = AsyncClient(url, options, session=credentials.get("session"))
        self._credentials = credentials

    async def _start(self) -> AsyncClient:
        c, client = self._credentials, self._client
        try:
            if c.get("guest_id"):
                await client.login_guest(c["guest_id"])
            elif c.get("refresh_token"):
                await client.login_refresh(c["refresh_token"])
            elif c.get("username"):
                if c.get("register"):
                    await client.register(c["username"], c.get("password") or "")
                else:
                    await client.login(c["username"], c.get("password") or "")
            elif c.get("session") is None:
                raise ValueError("connect() needs username/password, guest_id, refresh_token or session")
            await client.connect()
        except BaseException:
            await client.close()
            raise
        return client

    def __await__(self) -> Generator[Any, None, AsyncClient]:
        return self._start().__await__()

    async def __aenter__(self) -> AsyncClient:
        return await self._start()

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._client.close()


def connect(url: str, *, username: str | None = None, password: str | None = None, register: bool = False,
            guest_id: str | None = None, refresh_token: str | None = None, session: LoginSession | None = None,
            options: ClientOptions | None = None) -> Connector:
    """Logs in over HTTP (password, `register=True` to create the account first, guest device id, refresh token,
    or a kept `session`) and connects. Raises what AsyncClient.login*/connect raise: ConnectionRefused,
    ConnectTimeout, AuthFailed, ServerError (USERNAME_TAKEN...)."""
    credentials = {"username": username, "password": password, "register": register, "guest_id": guest_id,
                   "refresh_token": refresh_token, "session": session}
    return Connector(url, options, credentials)
