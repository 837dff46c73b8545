"""The SDK's pure parts, without a server: URLs, options, close-code policy, backoff, framing, stale snapshots."""

from __future__ import annotations

import asyncio
import os
import pathlib
import shutil
import subprocess
import struct
import sys

import pytest

import guildhall
from guildhall.errors import worth_reconnecting
from guildhall.transport import tcp, websocket


def test_server_urls() -> None:
    ws = guildhall.parse_server_url("ws://example.com/ws")
    assert (ws.kind, ws.secure, ws.host, ws.port, ws.path, ws.http_port) == ("websocket", False, "example.com",
                                                                               9700, "/ws", 9700)
    assert ws.http_base == "http://example.com:9700"
    tls = guildhall.parse_server_url("tls://example.com:9801")
    assert (tls.kind, tls.secure, tls.port, tls.http_port) == ("tcp", True, 9801, 9800)
    assert tls.http_base == "https://example.com:9800"
    udp = guildhall.parse_server_url("udp://[::1]:7002?http_port=80")
    assert (udp.kind, udp.host, udp.port, udp.http_port) == ("udp", "::1", 7002, 80)
    assert guildhall.parse_server_url("wss://h:1/ws").with_kind("tcp").port == 2
    for bad in ("http://h", "ws://:9700", "tcp://h:99999", "ws://h?nope=1", "tcp://h:x"):
        with pytest.raises(ValueError):
            guildhall.parse_server_url(bad)


def test_options_validate() -> None:
    guildhall.ClientOptions().validate()
    for change in ({"connect_timeout_s": 0}, {"dead_after_s": 10.0}, {"max_frame_bytes": 10}):
        options = guildhall.ClientOptions(**change)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            options.validate()
    options = guildhall.ClientOptions()
    options.reconnect.jitter = 2
    with pytest.raises(ValueError, match="jitter"):
        guildhall.AsyncClient("ws://h/ws", options)


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    policy = guildhall.ReconnectOptions(initial_delay_s=2, max_delay_s=30, jitter=0.2)
    assert [policy.delay_s(n, 0.5) for n in (1, 2, 3, 4, 5, 9)] == [2, 4, 8, 16, 30, 30]
    assert policy.delay_s(1, 0.0) == pytest.approx(1.6) and policy.delay_s(1, 1.0) == pytest.approx(2.4)


def test_close_codes_decide_reconnection() -> None:
    assert guildhall.ServerClosed(3001, "shutdown").retryable
    assert guildhall.ServerClosed(4001).retryable and guildhall.ServerClosed(4006).retryable
    assert not guildhall.ServerClosed(4002).retryable and not guildhall.ServerClosed(1000).retryable
    assert not guildhall.ServerClosed(2001, "kicked").retryable
    assert guildhall.ServerClosed(2001).category == "application"
    assert worth_reconnecting(guildhall.ConnectionLost()) and worth_reconnecting(guildhall.ConnectTimeout())
    assert not worth_reconnecting(guildhall.AuthFailed("AUTH_FAILED", "no"))
    assert issubclass(guildhall.AuthFailed, guildhall.ServerError)
    assert guildhall.ServerError("RATE_LIMITED", "slow down").transient


def test_websocket_frames_are_masked_and_checked() -> None:
    frame = websocket.encode_frame(0x2, b"hello" * 30)
    assert frame[0] == 0x82 and frame[1] == 0x80 | 126 and struct.unpack("!H", frame[2:4])[0] == 150
    mask, body = frame[4:8], frame[8:]
    assert bytes(b ^ mask[i % 4] for i, b in enumerate(body)) == b"hello" * 30
    assert websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3


class _Writer:
    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> None:
        self.data += data

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    async def wait_closed(self) -> None:
        pass


def _websocket_fed(data: bytes, cap: int = 1 << 20) -> websocket.WebSocketTransport:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return websocket.WebSocketTransport(reader, _Writer(), cap)  # type: ignore[arg-type]


def test_websocket_receive_reassembles_and_refuses_hostile_frames() -> None:
    async def body() -> None:
        ping_then_fragments = b"\x89\x02hi" + b"\x02\x03abc" + b"\x80\x02de"
        transport = _websocket_fed(ping_then_fragments)
        assert await transport.receive() == b"abcde"
        assert transport.bytes_received == 4 + 5 + 4
        with pytest.raises(guildhall.ProtocolError):
            await _websocket_fed(b"\x82\x85" + b"\0" * 9).receive()   # masked server frame
        with pytest.raises(guildhall.ProtocolError):
            await _websocket_fed(b"\x82\x7f" + struct.pack("!Q", 1 << 40)).receive()  # over the cap
        with pytest.raises(guildhall.ServerClosed) as closed:
            await _websocket_fed(b"\x88\x06" + struct.pack("!H", 3001) + b"bye!").receive()
        assert (closed.value.code, closed.value.reason) == (3001, "bye!")
        with pytest.raises(guildhall.ConnectionLost):
            await _websocket_fed(b"\x82\x05ab").receive()  # cut mid-frame
    asyncio.run(body())


def test_tcp_framing_caps_the_length() -> None:
    async def body() -> None:
        assert tcp.encode_varint(300) == b"\xac\x02"
        reader = asyncio.StreamReader()
        reader.feed_data(tcp.encode_varint(3) + b"abc" + tcp.encode_varint(5000))
        transport = tcp.TcpTransport(reader, _Writer(), 4096)  # type: ignore[arg-type]
        assert await transport.receive() == b"abc"
        with pytest.raises(guildhall.ProtocolError):
            await transport.receive()
    asyncio.run(body())


def test_source_tree_without_protoc_names_the_package(tmp_path: pathlib.Path) -> None:
    """From a source tree whose classes were never generated, with no protoc, the ImportError says what to install."""
    package = pathlib.Path(guildhall.__file__).resolve().parent
    copy = tmp_path / "guildhall"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("_generated", "__pycache__"))
    script = "try:\n    import guildhall\nexcept ImportError as error:\n    print('ImportError:', error)"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/nonexistent", "PYTHONPATH": str(tmp_path)})
    assert done.stdout.startswith("ImportError:") and "protobuf-compiler" in done.stdout, done.stderr


def test_import_generates_the_type_stub_beside_the_module(tmp_path: pathlib.Path) -> None:
    """mypy reads the protocol classes from guildhall_pb2.pyi: a tree generated before the stub was (module only)
    gets it on the next import."""
    package = pathlib.Path(guildhall.__file__).resolve().parent
    copy = tmp_path / "guildhall"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    stub = copy / "_generated" / "guildhall_pb2.pyi"
    stub.unlink()
    done = subprocess.run([sys.executable, "-c", "import guildhall"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"], "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "class Envelope(_message.Message):" in stub.read_text()


def test_enums_passed_by_number_carry_the_proto_numbers() -> None:
    """matches.py hands these IntEnums to the protocol classes as plain numbers (_pb_enum)."""
    from guildhall._proto import pb
    assert {f"SEAT_{choice.name}": choice.value for choice in guildhall.SeatChoice} == dict(pb.SeatChoice.items())
    assert ({action.name: action.value for action in guildhall.MatchAction}
            == {name: number for name, number in pb.MatchAction.Kind.items() if number != 0})


def test_a_snapshot_not_newer_than_the_newest_shown_is_skipped() -> None:
    """UDP may deliver snapshots late or twice: only newer ticks become events, the rest are counted."""
    from guildhall._proto import pb

    async def body() -> list[int]:
        client = guildhall.AsyncClient("udp://127.0.0.1:9702")
        client._loop = asyncio.get_running_loop()  # the acknowledgements go nowhere: not connected
        client.rooms.set_snapshot_decoder(None)
        joined = guildhall.RoomJoined(guildhall.RoomInfo(room_id=7), tick_hz=20, max_input_bytes=8)
        client.rooms._enter(joined, spectator=False)
        for tick in (5, 3, 5, 6, 4, 9):
            client._on_push(pb.Envelope(room_snapshot=pb.RoomSnapshot(room_id=7, tick=tick, data=b"\x00")))
        await asyncio.sleep(0)
        assert client.rooms.stale_snapshots == 3 and client.rooms.newest_tick == 9
        return [event.tick for event in client.pending_events()]
    assert asyncio.run(body()) == [5, 6, 9]
