"""The sans-I/O connection layer (guildhall.udp.connection) with a scripted server: the tests play the server's
side with the token's keys (encode_packet), inject the time, and check what the client sends and refuses."""
from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest

SDK = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SDK))

from guildhall.udp.connect_token import ConnectToken, parse_address  # noqa: E402
from guildhall.udp.connection import ClientConnection, ClientState, Payload  # noqa: E402
from guildhall.udp.envelope_peek import closing_of  # noqa: E402
from guildhall.udp.packet_codec import PacketType, encode_packet, keep_alive_body  # noqa: E402

SERVER = ("127.0.0.1", 9702)
BACKUP = ("::1", 9703)
PROTOCOL = 77


def token(**changes: object) -> ConnectToken:
    base = ConnectToken(protocol_id=PROTOCOL, create_timestamp=1000, expire_timestamp=1030, nonce=bytes(range(24)),
                        sealed_private=bytes(1024), timeout_seconds=5, server_addresses=(SERVER,),
                        client_to_server_key=bytes([1] * 32), server_to_client_key=bytes([2] * 32))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


class Server:
    """Writes what a server would send, under its own sequence."""

    def __init__(self, t: ConnectToken) -> None:
        self.token = t
        self.sequence = 0

    def packet(self, kind: PacketType, body: bytes = b"", sequence: int | None = None) -> bytes:
        if sequence is None:
            sequence = self.sequence
            self.sequence += 1
        return encode_packet(kind, sequence, body, PROTOCOL, self.token.server_to_client_key)


def connected(now: int = 0) -> tuple[ClientConnection, Server]:
    t = token()
    client = ClientConnection()
    client.connect(t, now)
    server = Server(t)
    client.update(now)
    client.receive(SERVER, server.packet(PacketType.CONNECTION_CHALLENGE, bytes(308)), now + 1)
    client.update(now + 1)
    client.receive(SERVER, server.packet(PacketType.KEEP_ALIVE, keep_alive_body(3, 64)), now + 2)
    assert client.state == ClientState.CONNECTED
    return client, server


def test_the_handshake_sends_requests_then_responses_at_10_hz_and_connects() -> None:
    t = token()
    client = ClientConnection()
    client.connect(t, 0)
    assert client.state == ClientState.SENDING_REQUEST
    first = client.update(0)
    assert len(first) == 1 and first[0].to == SERVER and len(first[0].data) == 1078 and first[0].data[0] == 0
    assert client.update(50) == [] and len(client.update(100)) == 1
    server = Server(t)
    challenge_body = bytes(range(200)) + bytes(108)
    assert client.receive(SERVER, server.packet(PacketType.CONNECTION_CHALLENGE, challenge_body), 120) is None
    assert client.state == ClientState.SENDING_RESPONSE
    response = client.update(120)
    assert len(response) == 1 and response[0].data[0] & 0x0F == PacketType.CONNECTION_RESPONSE
    assert client.next_payload_sequence is None
    client.receive(SERVER, server.packet(PacketType.KEEP_ALIVE, keep_alive_body(4, 32)), 150)
    assert client.state == ClientState.CONNECTED and (client.client_index, client.max_clients) == (4, 32)
    assert client.next_payload_sequence == 1  # requests travel in clear; the one response used sequence 0


def test_keep_alives_payloads_and_disconnect_once_connected() -> None:
    client, server = connected()
    assert client.update(50) == []
    alive = client.update(102)
    assert len(alive) == 1 and alive[0].data[0] & 0x0F == PacketType.KEEP_ALIVE
    sent = client.send_payload(b"hello", 110)
    assert sent is not None and sent.data[0] & 0x0F == PacketType.PAYLOAD
    assert client.send_payload(b"", 110) is None and client.send_payload(bytes(1176), 110) is None
    data = server.packet(PacketType.PAYLOAD, b"world")
    assert client.receive(SERVER, data, 120) == Payload(server.sequence - 1, b"world")
    assert client.receive(SERVER, data, 121) is None and client.drops["replayed"] == 1
    assert client.receive(("127.0.0.1", 9999), server.packet(PacketType.PAYLOAD, b"x"), 122) is None
    assert client.drops["wrong_address"] == 1
    client.receive(SERVER, server.packet(PacketType.DISCONNECT), 130)
    assert client.state == ClientState.DISCONNECTED


def test_silence_times_out_and_leaving_sends_ten_disconnects() -> None:
    client, _ = connected()
    assert len(client.disconnect()) == 10 and client.state == ClientState.DISCONNECTED
    client, _ = connected()
    client.update(4000)
    assert client.state == ClientState.CONNECTED
    client.update(5002)
    assert client.state == ClientState.TIMED_OUT


def test_no_answer_tries_the_next_address_then_reports_request_timed_out() -> None:
    client = ClientConnection()
    client.connect(token(server_addresses=(SERVER, BACKUP)), 0)
    assert client.update(0)[0].to == SERVER
    sent = client.update(5000)
    assert client.state == ClientState.SENDING_REQUEST and sent[0].to == BACKUP
    client.update(10000)
    assert client.state == ClientState.REQUEST_TIMED_OUT


def test_denied_on_every_address_is_denied_and_expiry_is_token_expired() -> None:
    t = token(server_addresses=(SERVER, BACKUP))
    client = ClientConnection()
    client.connect(t, 0)
    client.update(0)
    client.receive(SERVER, Server(t).packet(PacketType.CONNECTION_DENIED), 10)
    assert client.server_address == BACKUP
    client.receive(("::1", 9703, 0, 0), Server(t).packet(PacketType.CONNECTION_DENIED), 20)
    assert client.state == ClientState.DENIED
    short = ClientConnection()
    short.connect(token(expire_timestamp=1003, timeout_seconds=10), 0)
    short.update(2999)
    assert short.connecting
    short.update(3000)
    assert short.state == ClientState.TOKEN_EXPIRED


def test_an_unusable_token_is_invalid() -> None:
    client = ClientConnection()
    client.connect(token(timeout_seconds=0), 0)
    assert client.state == ClientState.INVALID_TOKEN and client.update(0) == []


def test_hostile_datagrams_are_counted_never_raised() -> None:
    client, server = connected()
    rng = random.Random(3)
    for _ in range(3000):
        data = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 17, 18, 30, 1200, 1201])))
        assert client.receive(SERVER, data, 10) is None
    forged = bytearray(server.packet(PacketType.PAYLOAD, b"abc"))
    forged[-1] ^= 1
    assert client.receive(SERVER, bytes(forged), 10) is None
    assert client.state == ClientState.CONNECTED
    assert client.drops["decrypt_failed"] >= 1 and sum(client.drops.values()) == 3001


def test_addresses_parse_as_the_server_writes_them() -> None:
    assert parse_address("203.0.113.5:9702") == ("203.0.113.5", 9702)
    assert parse_address("[::1]:9702") == ("::1", 9702)
    for bad in ("203.0.113.5", "[::1]", "host:1", "1.2.3.4:0", "1.2.3.4:65536", "::1:80"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_the_closing_push_is_read_without_generated_classes() -> None:
    reason = "the server is shutting down".encode()
    closing = bytes([0x08, 0xB9, 0x17, 0x12, len(reason)]) + reason  # code 3001, reason
    envelope = bytes([0xC2, 0x04, len(closing)]) + closing  # field 72, length-delimited
    assert closing_of(envelope) == (3001, "the server is shutting down")
    assert closing_of(bytes([0x08, 0x05]) + envelope) == (3001, "the server is shutting down")
    assert closing_of(bytes([0x5A, 0x02, 0x08, 0x01])) is None  # a Ping
    rng = random.Random(4)
    for _ in range(2000):
        closing_of(bytes(rng.randrange(256) for _ in range(rng.randrange(12))))
