"""guildhall.udp against bytes the C++ codecs wrote: tests/fixtures/udp_vectors.json, which
tests/unit/udp_vectors_test.cpp keeps current. Connection-layer packets must encrypt and open byte for byte, message
layer packets must be written and read in every compact layout, hostile packets refused with the C++ error, and
two Python message endpoints replaying the C++ endpoints' scripted exchange must write the same packets and
deliver the same messages."""
from __future__ import annotations

import json
import sys
from pathlib import Path

SDK = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SDK))

from guildhall.udp.message_packet import (  # noqa: E402
    MessageEntry,
    MessageError,
    PacketHeader,
    PacketLimits,
    PacketWriter,
    decode_packet,
)
from guildhall.udp.messages import MessageEndpoint  # noqa: E402
from guildhall.udp.packet_codec import (  # noqa: E402
    ConnectionRequest,
    OpenedPacket,
    PacketError,
    PacketType,
    encode_connection_request,
    encode_packet,
    open_packet,
)
from guildhall.udp.replay_window import ReplayWindow  # noqa: E402

FIXTURE = json.loads((SDK.parents[1] / "tests" / "fixtures" / "udp_vectors.json").read_text())
ALL_TYPES = frozenset(PacketType) - {PacketType.CONNECTION_REQUEST}


def test_connection_packets_encrypt_and_open_as_in_cpp() -> None:
    vectors = FIXTURE["connection"]
    protocol_id = int(vectors["protocol_id"])
    key = bytes.fromhex(vectors["key"])
    assert len(vectors["packets"]) == 9
    for case in vectors["packets"]:
        kind, sequence, body = PacketType(case["type"]), int(case["sequence"]), bytes.fromhex(case["body"])
        assert encode_packet(kind, sequence, body, protocol_id, key).hex() == case["bytes"], case
        opened = open_packet(bytes.fromhex(case["bytes"]), ALL_TYPES, protocol_id, key, None)
        assert opened == OpenedPacket(kind, sequence, body)
        window = ReplayWindow()
        guarded = open_packet(bytes.fromhex(case["bytes"]), ALL_TYPES, protocol_id, key, window)
        # 2^64 - 1 is the replay window's empty-slot sentinel: refused as in C++, never mistaken for a fresh one.
        assert guarded == (PacketError.REPLAYED if sequence == (1 << 64) - 1 else opened)
        if kind in (PacketType.KEEP_ALIVE, PacketType.PAYLOAD, PacketType.DISCONNECT) and guarded == opened:
            assert open_packet(bytes.fromhex(case["bytes"]), ALL_TYPES, protocol_id, key, window) == \
                PacketError.REPLAYED
        wrong_key = bytes(32)
        assert open_packet(bytes.fromhex(case["bytes"]), ALL_TYPES, protocol_id, wrong_key, None) == \
            PacketError.DECRYPT_FAILED
        assert open_packet(bytes.fromhex(case["bytes"]), ALL_TYPES, protocol_id + 1, key, None) == \
            PacketError.DECRYPT_FAILED


def test_the_connection_request_is_the_cpp_one() -> None:
    request = FIXTURE["connection"]["request"]
    encoded = encode_connection_request(ConnectionRequest(request["expire_timestamp"], bytes.fromhex(request["nonce"]),
                                                          bytes.fromhex(request["sealed_private"])),
                                        int(FIXTURE["connection"]["protocol_id"]))
    assert len(encoded) == 1078 and encoded.hex() == request["bytes"]


def test_message_packets_are_written_and_read_in_every_layout() -> None:
    assert len(FIXTURE["message_packets"]) >= 10
    for case in FIXTURE["message_packets"]:
        entries = [MessageEntry(m["channel"], m["id"], bytes.fromhex(m["payload"]), m["fragment_count"] > 1,
                                m["fragment_index"], m["fragment_count"], m["short_id"]) for m in case["messages"]]
        writer = PacketWriter(1175)
        writer.begin(PacketHeader(case["sequence"], case["ack"], case["ack_bits"], case["ack_delay_ms"]),
                     case["with_sequence"])
        for entry in entries:
            writer.add(entry)
        written = writer.finish()
        assert written.hex() == case["bytes"], case["name"]
        limits = PacketLimits(sequence_from_transport=not case["with_sequence"])
        decoded = decode_packet(written, limits, case["sequence"])
        assert not isinstance(decoded, MessageError), case["name"]
        header = decoded.header
        expected_ack = (case["ack"], case["ack_bits"]) if case["ack_delay_ms"] != 0xFFFF else (0, 0)
        assert (header.sequence, header.ack, header.ack_bits, header.ack_delay_ms) == \
            (case["sequence"], *expected_ack, case["ack_delay_ms"]), case["name"]
        restored = [MessageEntry(e.channel, e.id & (0xFF if e.short_id else 0xFFFF), e.payload, e.fragment,
                                 e.fragment_index, e.fragment_count, e.short_id) for e in entries]
        assert decoded.messages == restored, case["name"]


def test_hostile_message_packets_are_refused_with_the_cpp_error() -> None:
    assert len(FIXTURE["hostile_message_packets"]) >= 15
    for case in FIXTURE["hostile_message_packets"]:
        result = decode_packet(bytes.fromhex(case["bytes"]), PacketLimits(), case["sequence"])
        assert isinstance(result, MessageError) and result.value == case["error"], case["name"]


def test_python_endpoints_replay_the_cpp_exchange_byte_for_byte() -> None:
    endpoints = {"a": MessageEndpoint(), "b": MessageEndpoint()}
    counters = {"a": 0, "b": 0}
    other = {"a": "b", "b": "a"}
    packets = delivered = 0
    for step in FIXTURE["exchange"]:
        if "send" in step:
            endpoint = endpoints[step["send"]]
            payload = bytes.fromhex(step["payload"])
            if step["channel"] == 2:
                assert endpoint.send_latest(payload, step["slot"]) == "queued"
            else:
                assert endpoint.send(step["channel"], payload) == "queued"
        elif "gap" in step:
            counters[step["gap"]] += step["count"]
        else:
            side = step["write"]
            first = counters[side]
            written = endpoints[side].write_packets(step["now"], lambda: first)
            counters[side] += len(written)
            assert [p.hex() for p in written] == [p["bytes"] for p in step["packets"]], step
            receiver = endpoints[other[side]]
            for number, (data, recorded) in enumerate(zip(written, step["packets"])):
                assert recorded["sequence"] == first + number
                if not recorded["lost"]:
                    assert receiver.receive_packet(data, step["arrive"], first + number) is None
            got = [(channel, message.hex()) for channel, message in receiver.drain()]
            assert got == [(m["channel"], m["payload"]) for m in step["delivered"]], step
            packets += len(written)
            delivered += len(got)
    assert packets > 30 and delivered > 20
    for endpoint in endpoints.values():
        assert endpoint.snapshot_stats().reliable_in_flight == 0, "everything reliable was delivered and acked"
