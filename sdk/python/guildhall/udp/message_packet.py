"""The message layer's packet format (docs/protocol.md "UDP: message layer"), byte-compatible with
src/wire/udp/message_packet.cpp. Integers little-endian.

header: u8 layout (bits 0-3: byte i of ack_bits is 0xff and left out; bit 4: nothing received yet, no ack fields;
bit 5: ack is one byte, sequence - ack; bit 6: ack delay is two bytes; bit 7: one lone message follows without its
flags byte: unreliable + to the end + short id), [u16 sequence, left out over Guildhall's UDP transport], ack (u8
or u16), ack_bits bytes not left out, ack_delay_ms (u8 or u16).
message: u8 flags (bit 0 unreliable, bit 1 fragment, bit 2 to the end / no length, bit 3 short id), id (u16, or u8
with bit 3), [u8 fragment index, u8 fragment count], [u16 length unless bit 2], payload.

`decode_packet` trusts nothing: it accepts the whole packet or returns a MessageError and none of it. Pure; the
writer is owned by one endpoint.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

MIN_PACKET_HEADER_BYTES = 3
SEQUENCE_BYTES = 2
MAX_PACKET_HEADER_BYTES = 11
MESSAGE_HEADER_BYTES = 5  # flags, id, length
FRAGMENT_HEADER_BYTES = 7  # flags, id, index, count, length
LENGTH_BYTES = 2
MAX_FRAGMENTS_LIMIT = 255
MAX_MESSAGES_PER_PACKET = 256
#: ack_delay_ms meaning "nothing received yet".
NO_ACK_DELAY = 0xFFFF
FLAG_UNRELIABLE = 0x01
FLAG_FRAGMENT = 0x02
FLAG_TO_END = 0x04
FLAG_SHORT_ID = 0x08
LONE_MESSAGE_FLAGS = FLAG_UNRELIABLE | FLAG_TO_END | FLAG_SHORT_ID
#: An unreliable id may go short when less than this many ids ahead of the newest the peer acknowledged.
SHORT_ID_REACH = 128
LAYOUT_NO_ACKS = 0x10
LAYOUT_SHORT_ACK = 0x20
LAYOUT_LONG_DELAY = 0x40
LAYOUT_LONE_MESSAGE = 0x80

RELIABLE = 0
UNRELIABLE = 1


class MessageError(enum.Enum):
    """Why a packet was refused as a whole (the C++ message_error)."""

    TRUNCATED_HEADER = "truncated packet header"
    TRUNCATED_MESSAGE = "truncated message"
    PACKET_TOO_LARGE = "packet too large"
    BAD_FLAGS = "reserved message flags set"
    FRAGMENT_OUT_OF_BOUNDS = "fragment index out of bounds"
    TOO_MANY_FRAGMENTS = "too many fragments"
    BAD_FRAGMENT_SIZE = "bad fragment size"
    MESSAGE_TOO_LARGE = "message too large"
    TOO_MANY_MESSAGES = "too many messages in one packet"


@dataclass(frozen=True, slots=True)
class PacketLimits:
    """The receiving endpoint's limits (the C++ endpoint_config fields the decoder reads)."""

    sequence_from_transport: bool = True
    max_packet_bytes: int = 1175
    fragment_bytes: int = 1024
    max_fragments: int = 255
    max_message_bytes: int = 255 * 1024


@dataclass(slots=True)
class PacketHeader:
    sequence: int = 0
    ack: int = 0
    ack_bits: int = 0
    ack_delay_ms: int = NO_ACK_DELAY


@dataclass(frozen=True, slots=True)
class MessageEntry:
    """One message or fragment. `id` is only the low byte when `short_id` (the channel restores it)."""

    channel: int
    id: int
    payload: bytes
    fragment: bool = False
    fragment_index: int = 0
    fragment_count: int = 1
    short_id: bool = False


@dataclass(slots=True)
class DecodedPacket:
    header: PacketHeader
    messages: list[MessageEntry] = field(default_factory=list)


def _read_header(data: bytes, transport_sequence: int | None) -> tuple[PacketHeader, int] | MessageError:
    fixed = 1 + (0 if transport_sequence is not None else SEQUENCE_BYTES)
    if len(data) < fixed:
        return MessageError.TRUNCATED_HEADER
    layout = data[0]
    if layout & LAYOUT_NO_ACKS and layout & ~(LAYOUT_NO_ACKS | LAYOUT_LONE_MESSAGE):
        return MessageError.BAD_FLAGS
    sequence = transport_sequence if transport_sequence is not None else data[1] | data[2] << 8
    if layout & LAYOUT_NO_ACKS:
        return PacketHeader(sequence, 0, 0, NO_ACK_DELAY), fixed
    size = fixed + (1 if layout & LAYOUT_SHORT_ACK else 2) + (2 if layout & LAYOUT_LONG_DELAY else 1)
    size += sum(0 if (layout >> i) & 1 else 1 for i in range(4))
    if len(data) < size:
        return MessageError.TRUNCATED_HEADER
    p = fixed
    if layout & LAYOUT_SHORT_ACK:
        ack = (sequence - data[p]) & 0xFFFF
        p += 1
    else:
        ack = data[p] | data[p + 1] << 8
        p += 2
    ack_bits = 0
    for i in range(4):
        if (layout >> i) & 1:
            byte = 0xFF
        else:
            byte = data[p]
            p += 1
        ack_bits |= byte << (8 * i)
    delay = data[p] | data[p + 1] << 8 if layout & LAYOUT_LONG_DELAY else data[p]
    if delay == NO_ACK_DELAY:
        return MessageError.BAD_FLAGS
    return PacketHeader(sequence, ack, ack_bits, delay), size


def _check_fragment(entry: MessageEntry, limits: PacketLimits) -> MessageError | None:
    if entry.fragment_count < 2 or entry.fragment_index >= entry.fragment_count:
        return MessageError.FRAGMENT_OUT_OF_BOUNDS
    if entry.fragment_count > limits.max_fragments:
        return MessageError.TOO_MANY_FRAGMENTS
    size = len(entry.payload)
    last = entry.fragment_index + 1 == entry.fragment_count
    if (size == 0 or size > limits.fragment_bytes) if last else size != limits.fragment_bytes:
        return MessageError.BAD_FRAGMENT_SIZE
    if last and (entry.fragment_count - 1) * limits.fragment_bytes + size > limits.max_message_bytes:
        return MessageError.MESSAGE_TOO_LARGE
    return None


def _read_message(data: bytes, at: int, limits: PacketLimits, lone: bool) -> tuple[MessageEntry, int] | MessageError:
    left = len(data) - at
    if left < 1:
        return MessageError.TRUNCATED_MESSAGE
    flags = LONE_MESSAGE_FLAGS if lone else data[at]
    if flags & ~(FLAG_UNRELIABLE | FLAG_FRAGMENT | FLAG_TO_END | FLAG_SHORT_ID) or (
            flags & FLAG_SHORT_ID and not flags & FLAG_UNRELIABLE):
        return MessageError.BAD_FLAGS
    fragment = bool(flags & FLAG_FRAGMENT)
    short_id = bool(flags & FLAG_SHORT_ID)
    to_end = bool(flags & FLAG_TO_END)
    flags_bytes = 0 if lone else 1
    id_bytes = 1 if short_id else 2
    header = flags_bytes + id_bytes + (2 if fragment else 0) + (0 if to_end else LENGTH_BYTES)
    if left < header:
        return MessageError.TRUNCATED_MESSAGE
    p = at + flags_bytes
    ident = data[p] if short_id else data[p] | data[p + 1] << 8
    p += id_bytes
    index, count = 0, 1
    if fragment:
        index, count = data[p], data[p + 1]
        p += 2
    length = left - header if to_end else data[p] | data[p + 1] << 8
    if left - header < length:
        return MessageError.TRUNCATED_MESSAGE
    start = at + header
    entry = MessageEntry(UNRELIABLE if flags & FLAG_UNRELIABLE else RELIABLE, ident, bytes(data[start:start + length]),
                         fragment, index, count, short_id)
    if fragment:
        problem = _check_fragment(entry, limits)
        if problem is not None:
            return problem
    elif length > limits.fragment_bytes:
        return MessageError.MESSAGE_TOO_LARGE
    return entry, start + length


def decode_packet(data: bytes, limits: PacketLimits, transport_sequence: int = 0) -> DecodedPacket | MessageError:
    """Decodes a whole packet or refuses it. With limits.sequence_from_transport the header has no sequence and the
    result's is `transport_sequence` (its low 16 bits)."""
    if len(data) > limits.max_packet_bytes:
        return MessageError.PACKET_TOO_LARGE
    header = _read_header(data, transport_sequence & 0xFFFF if limits.sequence_from_transport else None)
    if isinstance(header, MessageError):
        return header
    packet = DecodedPacket(header[0])
    at = header[1]
    lone = bool(data[0] & LAYOUT_LONE_MESSAGE)
    if lone and at == len(data):
        return MessageError.TRUNCATED_MESSAGE
    while at < len(data):
        if len(packet.messages) == MAX_MESSAGES_PER_PACKET:
            return MessageError.TOO_MANY_MESSAGES
        read = _read_message(data, at, limits, lone)
        if isinstance(read, MessageError):
            return read
        packet.messages.append(read[0])
        at = read[1]
    return packet


class PacketWriter:
    """Writes one packet at a time into a reused buffer of at most `max_packet_bytes`."""

    def __init__(self, max_packet_bytes: int) -> None:
        self.max_bytes = max_packet_bytes
        self._bytes = bytearray()
        self.message_count = 0
        self._last_message_at = 0

    @staticmethod
    def cost(fragment: bool, payload_bytes: int) -> int:
        """Bytes a message of `payload_bytes` takes, headers included."""
        return (FRAGMENT_HEADER_BYTES if fragment else MESSAGE_HEADER_BYTES) + payload_bytes

    def size(self) -> int:
        return len(self._bytes)

    def room(self) -> int:
        return self.max_bytes - len(self._bytes)

    def fits(self, fragment: bool, payload_bytes: int) -> bool:
        return self.message_count < MAX_MESSAGES_PER_PACKET and self.cost(fragment, payload_bytes) <= self.room()

    def begin(self, header: PacketHeader, with_sequence: bool = False) -> None:
        """Starts a packet. `with_sequence` False: the transport numbers packets (Guildhall's UDP transport)."""
        out = self._bytes
        out.clear()
        self.message_count = 0
        if header.ack_delay_ms == NO_ACK_DELAY:
            out.append(LAYOUT_NO_ACKS)
            if with_sequence:
                out += (header.sequence & 0xFFFF).to_bytes(2, "little")
            return
        layout = 0
        for i in range(4):
            if (header.ack_bits >> (8 * i)) & 0xFF == 0xFF:
                layout |= 1 << i
        behind = (header.sequence - header.ack) & 0xFFFF
        if behind <= 0xFF:
            layout |= LAYOUT_SHORT_ACK
        if header.ack_delay_ms > 0xFF:
            layout |= LAYOUT_LONG_DELAY
        out.append(layout)
        if with_sequence:
            out += (header.sequence & 0xFFFF).to_bytes(2, "little")
        if layout & LAYOUT_SHORT_ACK:
            out.append(behind)
        else:
            out += header.ack.to_bytes(2, "little")
        for i in range(4):
            if not (layout >> i) & 1:
                out.append((header.ack_bits >> (8 * i)) & 0xFF)
        if layout & LAYOUT_LONG_DELAY:
            out += header.ack_delay_ms.to_bytes(2, "little")
        else:
            out.append(header.ack_delay_ms)

    def add(self, entry: MessageEntry) -> None:
        """Appends a message (fragment_count 1: unfragmented). Precondition: fits()."""
        fragment = entry.fragment_count > 1
        short_id = entry.short_id and entry.channel == UNRELIABLE
        flags = (FLAG_UNRELIABLE if entry.channel == UNRELIABLE else 0) | (FLAG_FRAGMENT if fragment else 0)
        flags |= FLAG_SHORT_ID if short_id else 0
        out = self._bytes
        self._last_message_at = len(out)
        out.append(flags)
        if short_id:
            out.append(entry.id & 0xFF)
        else:
            out += (entry.id & 0xFFFF).to_bytes(2, "little")
        if fragment:
            out.append(entry.fragment_index)
            out.append(entry.fragment_count)
        out += len(entry.payload).to_bytes(2, "little")
        out += entry.payload
        self.message_count += 1

    def finish(self) -> bytes:
        """Ends the packet (the last message loses its length; a lone snapshot its flags) and returns its bytes."""
        out = self._bytes
        if self.message_count:
            at = self._last_message_at
            flags = out[at]
            length_at = at + 1 + (1 if flags & FLAG_SHORT_ID else 2) + (2 if flags & FLAG_FRAGMENT else 0)
            out[at] |= FLAG_TO_END
            del out[length_at:length_at + LENGTH_BYTES]
            if self.message_count == 1 and out[at] == LONE_MESSAGE_FLAGS:
                out[0] |= LAYOUT_LONE_MESSAGE
                del out[at]
        return bytes(out)
