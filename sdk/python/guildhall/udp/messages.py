"""The message layer of the UDP transport, sans-I/O (src/wire/udp/message_endpoint.cpp): one per connection.

It turns messages into packets (`write_packets`) and packets into messages (`receive_packet`, `drain`), with acks
as a sequence plus a 32-bit field, resends, fragments, RTT and loss estimates and a congestion-controlled send
budget. Over Guildhall's UDP transport each packet's number is the low 16 bits of the connection layer's sequence
(`sequence_from_transport`), so `write_packets` asks for the next transport sequence through a callable.

Time: `now_ms` is milliseconds from any fixed origin, never decreasing between calls (a step back is clamped).
Not thread-safe: one owner (the transport's event loop).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .channels import AcceptResult, ChannelLimits, FillStatus, ReliableReceiver, ReliableSender, UnreliableReceiver, \
    UnreliableSender
from .link import LinkConfig, LinkEstimator
from .message_packet import NO_ACK_DELAY, RELIABLE, UNRELIABLE, DecodedPacket, MessageError, PacketHeader, \
    PacketLimits, PacketWriter, decode_packet
from .sequence import SequenceBuffer, distance, greater_than

#: A bound on one write_packets call, whatever the queues hold.
MAX_PACKETS_PER_WRITE = 1024
_MAX_ACK_DELAY_MS = NO_ACK_DELAY - 1
SENT_PACKETS_WINDOW = 1024
RECEIVED_PACKETS_WINDOW = 256


@dataclass(slots=True)
class _SentPacket:
    sent_ms: int
    size: int
    ack_only: bool
    newest_unreliable: int | None
    carried: list[tuple[int, int]]
    acked: bool = False
    decided: bool = False


@dataclass(slots=True)
class EndpointStats:
    rtt_ms: float = 0.0
    packet_loss: float = 0.0
    packets_sent: int = 0
    packets_received: int = 0
    packets_acked: int = 0
    packets_lost: int = 0
    reliable_in_flight: int = 0
    drops: Counter[str] = field(default_factory=Counter)


class MessageEndpoint:
    """Reliable-ordered and unreliable channels over one packet stream. Channels are RELIABLE (0), UNRELIABLE (1)."""

    def __init__(self, packet_limits: PacketLimits | None = None, channel_limits: ChannelLimits | None = None,
                 link_config: LinkConfig | None = None) -> None:
        self.packet_limits = packet_limits or PacketLimits()
        self.channel_limits = channel_limits or ChannelLimits()
        self.link = LinkEstimator(link_config or LinkConfig(max_packet_bytes=self.packet_limits.max_packet_bytes))
        self._reliable_out = ReliableSender(self.channel_limits)
        self._reliable_in = ReliableReceiver(self.channel_limits)
        self._unreliable_out = UnreliableSender(self.channel_limits)
        self._unreliable_in = UnreliableReceiver(self.channel_limits)
        self._writer = PacketWriter(self.packet_limits.max_packet_bytes)
        self._sent: SequenceBuffer[_SentPacket] = SequenceBuffer(SENT_PACKETS_WINDOW)
        self._received: SequenceBuffer[int] = SequenceBuffer(RECEIVED_PACKETS_WINDOW)
        self._next_sequence = 0
        self._oldest_undecided = 0
        self._received_any = False
        self._newest_received = 0
        self._newest_received_ms = 0
        self._ack_owed = False
        self._last_sent_ms = 0
        self._last_now_ms = 0
        self.stats = EndpointStats()

    # ---- sending ----------------------------------------------------------------------------------------------

    def send(self, channel: int, message: bytes) -> str:
        """"queued", "over_limit" (reliable: the queue is at its cap, the connection should end) or "too_large"."""
        if channel == UNRELIABLE:
            return self.send_latest(message, 0)
        if len(message) > self.channel_limits.max_message_bytes:
            return "too_large"
        return "queued" if self._reliable_out.push(message) else "over_limit"

    def send_latest(self, message: bytes, slot: int) -> str:
        """Unreliable; replaces an unwritten message of the same non-zero `slot` (latest wins)."""
        if len(message) > self.channel_limits.max_message_bytes:
            return "too_large"
        result = self._unreliable_out.push(message, slot)
        if result == "replaced":
            self.stats.drops["unreliable_replaced"] += 1
        return "over_limit" if result == "over_limit" else "queued"

    def write_packets(self, now_ms: int, next_sequence: Callable[[], int | None]) -> list[bytes]:
        """The packets due now, in order. `next_sequence()` is the transport sequence the first one goes out under
        (None: nothing can be sent now); the caller sends them at once, in order, under consecutive sequences."""
        now_ms = max(now_ms, self._last_now_ms)
        self._last_now_ms = now_ms
        self.link.update(now_ms)
        self._decide_lost(now_ms)
        self._reliable_out.begin_pass()
        out: list[bytes] = []
        limited = [False]
        for _ in range(MAX_PACKETS_PER_WRITE):
            sequence = next_sequence()
            if sequence is None:
                break
            packet = self._write_one(sequence + len(out), now_ms, limited)
            if packet is None:
                break
            out.append(packet[0])
            if not packet[1]:
                break
        if limited[0]:
            self.link.note_budget_limited()
        return out

    def _header(self, sequence: int, now_ms: int) -> PacketHeader:
        if not self._received_any:
            return PacketHeader(sequence, 0, 0, NO_ACK_DELAY)
        bits = self._received.ack_bits(self._newest_received)
        delay = min(now_ms - self._newest_received_ms, _MAX_ACK_DELAY_MS)
        return PacketHeader(sequence, self._newest_received, bits, delay)

    def _write_one(self, transport_sequence: int, now_ms: int, limited: list[bool]) -> tuple[bytes, bool] | None:
        """One packet: (bytes, had messages); None when nothing is due (not even an ack)."""
        sequence = transport_sequence & 0xFFFF
        writer = self._writer
        writer.begin(self._header(sequence, now_ms), not self.packet_limits.sequence_from_transport)
        carried: list[tuple[int, int]] = []
        waits, newest_unreliable = self._unreliable_out.fill(writer, self.link, self.stats.drops)
        if not waits:
            budget = int(max(0.0, self.link.budget))
            status = self._reliable_out.fill(writer, carried, now_ms, self.link.resend_delay_ms(), budget)
            if status == FillStatus.BUDGET_LIMITED:
                limited[0] = True
        if writer.message_count == 0:
            if self._ack_owed and now_ms - self._last_sent_ms >= self.link.config.ack_interval_ms:
                return self._flush(sequence, now_ms, True, None, carried), False
            return None
        return self._flush(sequence, now_ms, False, newest_unreliable, carried), True

    def _flush(self, sequence: int, now_ms: int, ack_only: bool, newest_unreliable: int | None,
               carried: list[tuple[int, int]]) -> bytes:
        data = self._writer.finish()
        self._next_sequence = (sequence + 1) & 0xFFFF
        while distance(sequence, self._oldest_undecided) >= self._sent.size:
            old = self._sent.find(self._oldest_undecided)
            if old is not None and not old.decided:
                self._decide(old, lost=True)
            self._oldest_undecided = (self._oldest_undecided + 1) & 0xFFFF
        self._sent.insert(sequence, _SentPacket(now_ms, len(data), ack_only, newest_unreliable, carried))
        self.link.spend(len(data))
        self._ack_owed = False
        self._last_sent_ms = now_ms
        self.stats.packets_sent += 1
        return data

    def _decide(self, packet: _SentPacket, lost: bool) -> None:
        packet.decided = True
        if not packet.ack_only:
            self.link.on_packet_decided(lost)
            if lost:
                self.stats.packets_lost += 1

    def _decide_lost(self, now_ms: int) -> None:
        timeout = self.link.loss_timeout_ms()
        while self._oldest_undecided != self._next_sequence:
            packet = self._sent.find(self._oldest_undecided)
            if packet is not None and not packet.decided:
                if now_ms - packet.sent_ms < timeout:
                    return
                self._decide(packet, lost=True)
            self._oldest_undecided = (self._oldest_undecided + 1) & 0xFFFF

    # ---- receiving -------------------------------------------------------------------------------------------

    def receive_packet(self, data: bytes, now_ms: int, transport_sequence: int = 0) -> MessageError | None:
        """A decrypted packet: acks are processed, messages buffered for `drain`. A malformed packet is refused whole
        (returned and counted) and changes nothing; duplicates and stale packets are counted and ignored."""
        now_ms = max(now_ms, self._last_now_ms)
        self._last_now_ms = now_ms
        decoded = decode_packet(data, self.packet_limits, transport_sequence)
        if isinstance(decoded, MessageError):
            self.stats.drops["malformed_packet"] += 1
            return decoded
        sequence = decoded.header.sequence
        if self._received.too_old(sequence):
            self.stats.drops["stale_packet"] += 1
            return None
        if self._received.exists(sequence):
            self.stats.drops["duplicate_packet"] += 1
            return None
        self.stats.packets_received += 1
        self._process_acks(decoded.header, now_ms)
        if not self._accept_messages(decoded):
            self.stats.drops["packet_not_stored"] += 1
            return None
        self._received.insert(sequence, now_ms)
        if not self._received_any or greater_than(sequence, self._newest_received):
            self._received_any = True
            self._newest_received = sequence
            self._newest_received_ms = now_ms
        if any(m.channel == RELIABLE for m in decoded.messages):
            self._ack_owed = True
        return None

    def _process_acks(self, header: PacketHeader, now_ms: int) -> None:
        if header.ack_delay_ms == NO_ACK_DELAY:
            return
        self._on_acked(header.ack, now_ms, header.ack_delay_ms)
        for i in range(32):
            if header.ack_bits & (1 << i):
                self._on_acked((header.ack - 1 - i) & 0xFFFF, now_ms, None)

    def _on_acked(self, sequence: int, now_ms: int, ack_delay_ms: int | None) -> None:
        packet = self._sent.find(sequence)
        if packet is None or packet.acked:
            return
        packet.acked = True
        self.stats.packets_acked += 1
        if ack_delay_ms is not None and now_ms >= packet.sent_ms:
            self.link.on_rtt_sample(float(now_ms - packet.sent_ms - ack_delay_ms))
        if not packet.decided:
            self._decide(packet, lost=False)
        for ident, index in packet.carried:
            self._reliable_out.on_acked(ident, index)
        if packet.newest_unreliable is not None:
            self._unreliable_out.on_acked(packet.newest_unreliable)

    def _accept_messages(self, decoded: DecodedPacket) -> bool:
        stored = True
        drops = self.stats.drops
        for entry in decoded.messages:
            if entry.channel == UNRELIABLE:
                self._unreliable_in.accept(entry, drops)
                continue
            result = self._reliable_in.accept(entry)
            if result == AcceptResult.DUPLICATE:
                drops["duplicate_message"] += 1
            elif result == AcceptResult.MISMATCH:
                drops["fragment_mismatch"] += 1
            elif result == AcceptResult.OUT_OF_WINDOW:
                drops["message_out_of_window"] += 1
                stored = False
            elif result == AcceptResult.BUFFER_FULL:
                drops["receive_buffer_full"] += 1
                stored = False
        return stored

    def drain(self) -> list[tuple[int, bytes]]:
        """What arrived, as (channel, message): reliable ones exactly once and in order, then unreliable ones."""
        out = [(RELIABLE, m) for m in self._reliable_in.drain()]
        out += [(UNRELIABLE, m) for m in self._unreliable_in.drain()]
        return out

    def snapshot_stats(self) -> EndpointStats:
        self.stats.rtt_ms = self.link.rtt_ms
        self.stats.packet_loss = self.link.loss
        self.stats.reliable_in_flight = self._reliable_out.in_flight()
        return self.stats
