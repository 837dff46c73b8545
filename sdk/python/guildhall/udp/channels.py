"""The two channels of the message layer (src/wire/udp/reliable_channel.cpp, unreliable_channel.cpp).

Reliable-ordered: consecutive 16-bit ids; messages above fragment_bytes split into fragments; each fragment is
written, remembered by the packet that carried it, and written again after the resend delay without an ack; only
ids within receive_window of the oldest unacked one are written. The receiver buffers within its window (bounded
in bytes, the next one always accepted) and delivers in id order, each exactly once.
Unreliable: written once, "latest wins" per non-zero slot on the sender; the receiver delivers only messages newer
than the newest it delivered, reassembling fragmented ones in a few slots. Short ids are restored as the id nearest
the newest seen. Not thread-safe: owned by one MessageEndpoint.
"""
from __future__ import annotations

import enum
from collections import Counter, deque
from dataclasses import dataclass, field

from .link import LinkEstimator
from .message_packet import FRAGMENT_HEADER_BYTES, RELIABLE, SHORT_ID_REACH, UNRELIABLE, MessageEntry, PacketWriter
from .sequence import distance, greater_than, less_than

_NEVER = float("inf")


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """Caps of both channels (the C++ endpoint_config's, Guildhall's values)."""

    fragment_bytes: int = 1024
    max_message_bytes: int = 255 * 1024
    send_queue_messages: int = 1024
    send_queue_bytes: int = 4 * 1024 * 1024
    receive_window: int = 1024
    receive_buffer_bytes: int = 1024 * 1024
    unreliable_queue_messages: int = 256
    unreliable_queue_bytes: int = 512 * 1024
    unreliable_receive_messages: int = 64
    unreliable_reassemblies: int = 4


def _fragment_count(size: int, fragment_bytes: int) -> int:
    return 1 if size <= fragment_bytes else -(-size // fragment_bytes)


class FillStatus(enum.Enum):
    NOTHING_DUE = 0
    PACKET_FULL = 1
    BUDGET_LIMITED = 2


@dataclass(slots=True)
class _Outgoing:
    data: bytes
    last_sent_ms: list[float]  # per fragment; _NEVER before the first write
    acked: list[bool]
    fragments_acked: int = 0


class ReliableSender:
    def __init__(self, limits: ChannelLimits) -> None:
        self.limits = limits
        self._queue: deque[_Outgoing] = deque()
        self._front_id = 0
        self.queued_bytes = 0
        self.resent = 0
        self._cursor_message = self._cursor_fragment = 0

    def in_flight(self) -> int:
        return len(self._queue)

    def push(self, message: bytes) -> bool:
        """False when the queue is at its cap in messages or bytes."""
        if len(self._queue) >= self.limits.send_queue_messages or \
                self.queued_bytes + len(message) > self.limits.send_queue_bytes:
            return False
        count = _fragment_count(len(message), self.limits.fragment_bytes)
        self._queue.append(_Outgoing(bytes(message), [_NEVER] * count, [False] * count))
        self.queued_bytes += len(message)
        return True

    def on_acked(self, ident: int, index: int) -> None:
        position = distance(ident, self._front_id)
        if position >= len(self._queue):
            return
        message = self._queue[position]
        if index >= len(message.acked) or message.acked[index]:
            return
        message.acked[index] = True
        message.fragments_acked += 1
        while self._queue and self._queue[0].fragments_acked == len(self._queue[0].acked):
            self.queued_bytes -= len(self._queue.popleft().data)
            self._front_id = (self._front_id + 1) & 0xFFFF

    def begin_pass(self) -> None:
        self._cursor_message = self._cursor_fragment = 0

    def _due(self, message: _Outgoing, index: int, now_ms: int, resend_delay_ms: int) -> bool:
        if message.acked[index]:
            return False
        sent = message.last_sent_ms[index]
        if sent == _NEVER:
            return True
        return now_ms >= sent + resend_delay_ms

    def fill(self, writer: PacketWriter, carried: list[tuple[int, int]], now_ms: int, resend_delay_ms: int,
             budget_bytes: int) -> FillStatus:
        """Adds due fragments in id order while they fit the packet and the budget."""
        size = self.limits.fragment_bytes
        window = min(len(self._queue), self.limits.receive_window)
        while self._cursor_message < window:
            message = self._queue[self._cursor_message]
            count = len(message.acked)
            while self._cursor_fragment < count:
                index = self._cursor_fragment
                if self._due(message, index, now_ms, resend_delay_ms):
                    payload = message.data if count == 1 else message.data[index * size:(index + 1) * size]
                    if not writer.fits(count > 1, len(payload)):
                        return FillStatus.PACKET_FULL
                    if writer.size() + PacketWriter.cost(count > 1, len(payload)) > budget_bytes:
                        return FillStatus.BUDGET_LIMITED
                    ident = (self._front_id + self._cursor_message) & 0xFFFF
                    writer.add(MessageEntry(RELIABLE, ident, payload, count > 1, index, count))
                    carried.append((ident, index))
                    if message.last_sent_ms[index] != _NEVER:
                        self.resent += 1
                    message.last_sent_ms[index] = now_ms
                self._cursor_fragment += 1
            self._cursor_message += 1
            self._cursor_fragment = 0
        return FillStatus.NOTHING_DUE


class AcceptResult(enum.Enum):
    ACCEPTED = 0
    DUPLICATE = 1
    OUT_OF_WINDOW = 2
    MISMATCH = 3
    BUFFER_FULL = 4


@dataclass(slots=True)
class _Slot:
    ident: int
    count: int
    reserved: int
    data: bytearray
    have: set[int] = field(default_factory=set)
    size: int = 0


class ReliableReceiver:
    def __init__(self, limits: ChannelLimits) -> None:
        self.limits = limits
        self._slots: dict[int, _Slot] = {}  # by id; at most receive_window ids ahead of next_id
        self._next_id = 0
        self.buffered_bytes = 0

    def accept(self, entry: MessageEntry) -> AcceptResult:
        if less_than(entry.id, self._next_id):
            return AcceptResult.DUPLICATE
        if distance(entry.id, self._next_id) >= self.limits.receive_window:
            return AcceptResult.OUT_OF_WINDOW
        count = entry.fragment_count if entry.fragment else 1
        slot = self._slots.get(entry.id)
        if slot is not None:
            if slot.count != count:
                return AcceptResult.MISMATCH
            if entry.fragment_index in slot.have:
                return AcceptResult.DUPLICATE
        else:
            reserve = count * self.limits.fragment_bytes if entry.fragment else len(entry.payload)
            if entry.id != self._next_id and self.buffered_bytes + reserve > self.limits.receive_buffer_bytes:
                return AcceptResult.BUFFER_FULL
            slot = _Slot(entry.id, count, reserve, bytearray(reserve))
            self._slots[entry.id] = slot
            self.buffered_bytes += reserve
        offset = entry.fragment_index * self.limits.fragment_bytes if entry.fragment else 0
        slot.data[offset:offset + len(entry.payload)] = entry.payload
        slot.have.add(entry.fragment_index)
        if not entry.fragment or entry.fragment_index + 1 == count:
            slot.size = offset + len(entry.payload)
        return AcceptResult.ACCEPTED

    def drain(self) -> list[bytes]:
        """The messages now deliverable, in order."""
        out: list[bytes] = []
        while True:
            slot = self._slots.get(self._next_id)
            if slot is None or len(slot.have) != slot.count:
                return out
            del self._slots[self._next_id]
            self.buffered_bytes -= slot.reserved
            out.append(bytes(slot.data[:slot.size]))
            self._next_id = (self._next_id + 1) & 0xFFFF


@dataclass(slots=True)
class _Pending:
    slot: int
    ident: int
    data: bytes
    next_fragment: int = 0


class UnreliableSender:
    def __init__(self, limits: ChannelLimits) -> None:
        self.limits = limits
        self._queue: deque[_Pending] = deque()
        self._queued_bytes = 0
        self._next_id = 0
        self._newest_acked: int | None = None

    def push(self, message: bytes, slot: int) -> str:
        """"queued", "replaced" (an unwritten message of the same non-zero slot gave way) or "over_limit"."""
        replaced = False
        if slot:
            for old in self._queue:
                if old.slot == slot:
                    self._queued_bytes -= len(old.data)
                    self._queue.remove(old)
                    replaced = True
                    break
        if len(self._queue) >= self.limits.unreliable_queue_messages or \
                self._queued_bytes + len(message) > self.limits.unreliable_queue_bytes:
            return "over_limit"
        self._queue.append(_Pending(slot, self._next_id, bytes(message)))
        self._next_id = (self._next_id + 1) & 0xFFFF
        self._queued_bytes += len(message)
        return "replaced" if replaced else "queued"

    def on_acked(self, ident: int) -> None:
        if self._newest_acked is None or greater_than(ident, self._newest_acked):
            self._newest_acked = ident

    def fill(self, writer: PacketWriter, link: LinkEstimator, drops: Counter[str]) -> tuple[bool, int | None]:
        """Writes queued messages while they fit; returns (more waits, newest id written)."""
        newest: int | None = None
        size = self.limits.fragment_bytes
        while self._queue:
            message = self._queue[0]
            count = _fragment_count(len(message.data), size)
            if message.next_fragment == 0 and not link.may_overdraw(
                    writer.size() + len(message.data) + count * FRAGMENT_HEADER_BYTES):
                drops["unreliable_over_budget"] += 1
                self._queued_bytes -= len(message.data)
                self._queue.popleft()
                continue
            while message.next_fragment < count:
                begin = message.next_fragment * size
                payload = message.data[begin:begin + size]
                if not writer.fits(count > 1, len(payload)):
                    return True, newest
                acked = self._newest_acked
                short = acked is not None and (message.ident - acked) & 0xFFFF < SHORT_ID_REACH
                writer.add(MessageEntry(UNRELIABLE, message.ident, payload, count > 1, message.next_fragment, count,
                                        short))
                newest = message.ident
                message.next_fragment += 1
            self._queued_bytes -= len(message.data)
            self._queue.popleft()
        return False, newest


@dataclass(slots=True)
class _Partial:
    ident: int
    count: int
    data: bytearray
    have: set[int] = field(default_factory=set)
    size: int = 0


class UnreliableReceiver:
    def __init__(self, limits: ChannelLimits) -> None:
        self.limits = limits
        self._partials: list[_Partial] = []
        self._ready: deque[bytes] = deque()
        self._newest_id = 0
        self._delivered_any = False
        self._newest_seen: int | None = None

    def _full_id(self, entry: MessageEntry) -> int | None:
        if not entry.short_id:
            return entry.id
        if self._newest_seen is None:
            return None
        ident = (self._newest_seen & 0xFF00) | (entry.id & 0xFF)
        ahead = ((ident - self._newest_seen + 0x8000) & 0xFFFF) - 0x8000
        if ahead >= SHORT_ID_REACH:
            ident = (ident - 256) & 0xFFFF
        if ahead < -SHORT_ID_REACH:
            ident = (ident + 256) & 0xFFFF
        return ident

    def accept(self, entry: MessageEntry, drops: Counter[str]) -> None:
        ident = self._full_id(entry)
        if ident is None:
            drops["stale_unreliable"] += 1
            return
        if self._newest_seen is None or greater_than(ident, self._newest_seen):
            self._newest_seen = ident
        if self._delivered_any and not greater_than(ident, self._newest_id):
            drops["stale_unreliable"] += 1
            return
        if not entry.fragment:
            self._complete(ident, entry.payload, drops)
            return
        partial = self._partial_for(ident, entry.fragment_count, drops)
        if partial is None:
            return
        if entry.fragment_index in partial.have:
            drops["duplicate_message"] += 1
            return
        offset = entry.fragment_index * self.limits.fragment_bytes
        partial.data[offset:offset + len(entry.payload)] = entry.payload
        partial.have.add(entry.fragment_index)
        if entry.fragment_index + 1 == partial.count:
            partial.size = offset + len(entry.payload)
        if len(partial.have) == partial.count:
            self._partials.remove(partial)
            self._complete(ident, bytes(partial.data[:partial.size]), drops)

    def _partial_for(self, ident: int, count: int, drops: Counter[str]) -> _Partial | None:
        for partial in self._partials:
            if partial.ident == ident:
                if partial.count == count:
                    return partial
                drops["fragment_mismatch"] += 1
                return None
        if len(self._partials) >= self.limits.unreliable_reassemblies:
            drops["unreliable_partial_evicted"] += 1
            oldest = self._partials[0]
            for partial in self._partials:
                if less_than(partial.ident, oldest.ident):
                    oldest = partial
            if less_than(ident, oldest.ident):
                return None
            self._partials.remove(oldest)
        partial = _Partial(ident, count, bytearray(count * self.limits.fragment_bytes))
        self._partials.append(partial)
        return partial

    def _complete(self, ident: int, data: bytes, drops: Counter[str]) -> None:
        if len(self._ready) >= self.limits.unreliable_receive_messages:
            self._ready.popleft()
            drops["unreliable_overflow"] += 1
        self._ready.append(bytes(data))
        self._newest_id = ident
        self._delivered_any = True
        kept = [p for p in self._partials if greater_than(p.ident, ident)]
        drops["unreliable_partial_evicted"] += len(self._partials) - len(kept)
        self._partials = kept

    def drain(self) -> list[bytes]:
        out = list(self._ready)
        self._ready.clear()
        return out
