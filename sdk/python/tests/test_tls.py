"""TLS: wss://, tls:// and udps:// (https logins and connect tokens) against a server with a self-signed
certificate, trusted through TlsOptions.ca_file; an untrusted certificate is refused."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

import guildhall
from conftest import STEP_S, Server, _binary, fast_options, next_of, run, unique


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[Server, str]]:
    with tempfile.TemporaryDirectory(prefix="guildhall-py-tls-") as data:
        cert, key = str(Path(data) / "dev.crt"), str(Path(data) / "dev.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        running = Server(_binary(), data, [], tls=(cert, key))
        running.start()
        yield running, cert
        running.stop()


def test_wss_and_tls_with_a_trusted_certificate(tls_server: tuple[Server, str]) -> None:
    server, cert = tls_server

    async def body() -> None:
        options = fast_options()
        options.tls.ca_file = cert
        channel = unique("tls-")
        ws = await guildhall.connect(server.url("websocket"), guest_id=unique("device-"), options=options)
        tcp = await guildhall.connect(server.url("tcp"), guest_id=unique("device-"), options=options)
        options.udp_fallback = False  # the connect token must come over https, trusted by ca_file
        udp = await guildhall.connect(server.url("udp"), guest_id=unique("device-"), options=options)
        assert server.url("websocket").startswith("wss://") and server.url("tcp").startswith("tls://")
        assert server.url("udp").startswith("udps://")
        assert (ws.transport_kind, tcp.transport_kind, udp.transport_kind) == ("websocket", "tcp", "udp")
        for client in (ws, tcp, udp):
            await client.chat.join(channel)
        await tcp.chat.send(channel, "over TLS")
        for client in (ws, udp):
            line = await next_of(client, guildhall.ChatMessageReceived)
            assert line.message.text == "over TLS"
        for client in (ws, tcp, udp):
            await client.close()
    run(body())


def test_untrusted_certificate_is_refused(tls_server: tuple[Server, str]) -> None:
    server, _ = tls_server

    async def body() -> None:
        with pytest.raises(guildhall.ConnectionLost) as refused:
            await guildhall.connect(server.url("websocket"), guest_id=unique("device-"), options=fast_options())
        assert "TLS" in str(refused.value)
        insecure = fast_options()
        insecure.tls.verify = False  # development only
        client = await guildhall.connect(server.url("tcp"), guest_id=unique("device-"), options=insecure)
        assert await client.ping() > 0
        await client.close()
    run(body(), STEP_S * 2)
