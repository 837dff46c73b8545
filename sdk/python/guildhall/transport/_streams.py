"""What the stream transports share: opening a TCP (optionally TLS) connection with the SDK's errors."""

from __future__ import annotations

import asyncio
import errno
import ssl

from guildhall.errors import ConnectionLost, ConnectionRefused, ConnectTimeout, GuildhallError
from guildhall.options import ClientOptions, TlsOptions


def tls_context(tls: TlsOptions) -> ssl.SSLContext:
    """A client context: TLS 1.2+, the system's CAs plus `ca_file`, no checks at all only when verify is off."""
    context = ssl.create_default_context(cafile=tls.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if not tls.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect_error(error: BaseException, where: str) -> GuildhallError:
    """The SDK's error for an exception raised while connecting to `where`."""
    if isinstance(error, ConnectionRefusedError) or getattr(error, "errno", None) == errno.ECONNREFUSED:
        return ConnectionRefused(f"connection refused by {where}: is the server running on that port?")
    if isinstance(error, ssl.SSLError):
        return ConnectionLost(f"TLS with {where} failed: {error}")
    if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
        return ConnectTimeout(f"connecting to {where} timed out")
    return ConnectionLost(f"cannot reach {where}: {error}")


async def open_stream(host: str, port: int, secure: bool,
                      options: ClientOptions) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connects (no timeout of its own: the caller bounds the whole connect). Raises ConnectionRefused or
    ConnectionLost."""
    where = f"{host}:{port}"
    try:
        return await asyncio.open_connection(host, port, ssl=tls_context(options.tls) if secure else None,
                                             server_hostname=host if secure else None, limit=1 << 16)
    except (OSError, ssl.SSLError) as error:
        raise connect_error(error, where) from error


async def close_writer(writer: asyncio.StreamWriter) -> None:
    """Closes without raising: the peer may be gone already. Bounded: a TLS close_notify may never be answered."""
    try:
        writer.close()
        await asyncio.wait_for(writer.wait_closed(), 1.0)
    except (OSError, ssl.SSLError, asyncio.TimeoutError, asyncio.CancelledError, RuntimeError):
        pass
