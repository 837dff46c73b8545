"""Reads `Envelope.closing` (field 72: `Closing{code = 1, reason = 2}`) from serialized Envelope bytes without the
generated protobuf classes, so the transport can turn the server's goodbye into ServerClosed(code, reason) while
the bytes still go to the client unchanged. Field numbers come from src/wire/proto/guildhall/v1/guildhall.proto.
Hostile bytes give None, never an exception. Pure.
"""
from __future__ import annotations

from collections.abc import Iterator

ENVELOPE_CLOSING_FIELD = 72
_CLOSING_CODE_FIELD = 1
_CLOSING_REASON_FIELD = 2
_MAX_VARINT_BYTES = 10


def _varint(data: bytes, at: int) -> tuple[int, int] | None:
    value = 0
    for i in range(_MAX_VARINT_BYTES):
        if at + i >= len(data):
            return None
        byte = data[at + i]
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return value, at + i + 1
    return None


def _fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Yields (field number, wire type, value) where value is an int (varint, wire type 0) or bytes
    (length-delimited, wire type 2); stops at bad bytes."""
    at = 0
    while at < len(data):
        tag = _varint(data, at)
        if tag is None:
            return
        key, at = tag
        number, wire = key >> 3, key & 7
        if wire == 0:
            read = _varint(data, at)
            if read is None:
                return
            value, at = read
            yield number, wire, value
        elif wire == 2:
            read = _varint(data, at)
            if read is None or read[1] + read[0] > len(data):
                return
            size, at = read
            yield number, wire, bytes(data[at:at + size])  # no copy when `data` is bytes
            at += size
        elif wire in (1, 5):
            at += 8 if wire == 1 else 4
            if at > len(data):
                return
        else:
            return


def closing_of(envelope: bytes) -> tuple[int, str] | None:
    """(code, reason) when `envelope` is a Closing push, else None."""
    for number, wire, value in _fields(envelope):
        if number == ENVELOPE_CLOSING_FIELD and wire == 2 and isinstance(value, bytes):
            code, reason = 0, ""
            for inner, inner_wire, inner_value in _fields(value):
                if inner == _CLOSING_CODE_FIELD and inner_wire == 0 and isinstance(inner_value, int):
                    code = inner_value & 0xFFFFFFFF
                elif inner == _CLOSING_REASON_FIELD and inner_wire == 2 and isinstance(inner_value, bytes):
                    reason = inner_value.decode("utf-8", "replace")
            return code, reason
    return None
