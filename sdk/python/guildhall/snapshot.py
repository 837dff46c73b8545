"""Room snapshots: the schema's quantization and the bit-packed delta format of docs/protocol.md ("Room snapshots:
the bit format"), byte-compatible with the server's C++ codec (src/wire/snapshot/) and a port of
sdk/js/src/snapshot_codec.ts. tests/test_snapshot_vectors.py checks it against bytes the C++ encoder wrote
(tests/unit/web/snapshot_vectors.json).

Two levels:
* `decode_delta(schema, baseline, data)` on quantized entities (`Entity(type, fields)`), `encode_delta` for tests
  and tools;
* `SnapshotDecoder(schema_json)`: what a client holds per room. `decode(tick, baseline_tick, data)` decodes a
  RoomSnapshot against the snapshot of `baseline_tick` it decoded earlier (0: a full snapshot) and returns
  `dict[entity_id, EntityState]` with named natural values (`state["x"]`, booleans as bool). Acknowledge the tick it
  returns (RoomInput.ack_tick) so the server encodes the next against it.

Hostile bytes raise `SnapshotError` (a ValueError) with `code` one of truncated, bad_type, bad_id_order,
unknown_entity, too_many_entities, trailing_bytes, value_out_of_range (bad_schema, unknown_baseline for the
schema and the decoder); never anything else. Entities and states are immutable and shared between snapshots.
Not thread-safe: a decoder belongs to the thread that reads the room's snapshots.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

#: The most entities one snapshot may hold: bounds what hostile bytes can make the decoder allocate.
MAX_ENTITIES = 65535
MAX_FIELDS = 32
MAX_TYPES = 256
#: Decoded snapshots a SnapshotDecoder keeps as baselines: the server encodes against at most 32 ticks back.
KEPT_BASELINES = 40
KINDS = ("boolean", "integer", "real", "angle")
_TWO_PI = 2 * math.pi
_STEP_SLACK = 1e-9
# Id gaps: a unary tier number (0, 10, 110, 1110, 1111), then `width` bits, plus the tier's first gap.
_GAP_TIERS = ((0, 0), (3, 1), (6, 9), (12, 73), (32, 4169))
_SMALL_BITS, _SMALL_FIRST = 4, 1
_MEDIUM_BITS, _MEDIUM_FIRST = 8, 1 + 2 ** 4
_SMALL_COST, _MEDIUM_COST = 3 + 4, 3 + 8
_CHANGE, _CREATE, _REMOVE, _END = 0, 1, 2, 3


class SnapshotError(ValueError):
    """Bytes (or a schema) that cannot be decoded; `code` matches the C++ snapshot_error names."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(f"snapshot: {message or code}")
        self.code = code


# ---- schema ---------------------------------------------------------------------------------------------------

def _round_half_up(x: float) -> float:
    return math.floor(x + 0.5) if math.isfinite(x) else x


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field: `kind` boolean/integer/real/angle, natural range [min, max] in `step`s, `bits` on the wire."""

    name: str
    kind: str
    min: float
    max: float
    step: float
    bits: int

    @property
    def wire_bits(self) -> int:
        return 1 if self.kind == "boolean" else min(max(self.bits, 1), 32)

    @property
    def top(self) -> int:
        """The largest quantized value the field holds."""
        cap = (1 << self.wire_bits) - 1
        if self.kind == "boolean":
            return 1
        if self.kind == "angle":
            return cap
        steps: float = 0
        if self.kind == "integer" and self.max > self.min:
            steps = _round_half_up(self.max - self.min)
        elif self.kind == "real" and self.max > self.min and self.step > 0:
            steps = math.ceil((self.max - self.min) / self.step - _STEP_SLACK)
        return int(min(steps, cap)) if steps > 0 else 0


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class Schema:
    types: tuple[EntityType, ...]


def schema_from_json(text: str | bytes | Mapping[str, Any]) -> Schema:
    """The schema RoomJoined.schema_json carries, checked (at most 256 types of 32 fields, known kinds, bits 1..32,
    finite numbers). Raises SnapshotError('bad_schema')."""
    try:
        doc = json.loads(text) if isinstance(text, (str, bytes)) else text
    except ValueError as error:
        raise SnapshotError("bad_schema", f"not JSON: {error}") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("types"), list):
        raise SnapshotError("bad_schema", "no types")
    if len(doc["types"]) > MAX_TYPES:
        raise SnapshotError("bad_schema", "too many types")
    types = []
    for entry in doc["types"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("fields"), list):
            raise SnapshotError("bad_schema", "a type without fields")
        name = str(entry.get("name", ""))
        if len(entry["fields"]) > MAX_FIELDS:
            raise SnapshotError("bad_schema", f"type {name}: too many fields")
        fields = []
        for f in entry["fields"]:
            if not isinstance(f, Mapping) or f.get("kind") not in KINDS:
                raise SnapshotError("bad_schema", f"type {name}: unknown field kind")
            for key in ("min", "max", "step", "bits"):
                value = f.get(key)
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise SnapshotError("bad_schema", f"field {f.get('name')}: {key}")
            if not float(f["bits"]).is_integer() or not 1 <= f["bits"] <= 32:
                raise SnapshotError("bad_schema", f"field {f.get('name')}: bits")
            fields.append(FieldSpec(str(f.get("name", "")), f["kind"], f["min"], f["max"], f["step"], int(f["bits"])))
        types.append(EntityType(name, tuple(fields)))
    return Schema(tuple(types))


def quantize(spec: FieldSpec, value: float) -> int:
    """A natural value to its quantized integer, exactly as the server (src/wire/snapshot/quantize.cpp)."""
    value = float(value)
    if math.isnan(value):
        return 0
    top = spec.top
    if spec.kind == "boolean":
        return 1 if value != 0 else 0
    if spec.kind == "integer":
        q = _round_half_up(value - spec.min)
    elif spec.kind == "real":
        if value >= spec.max:
            return top
        q = _round_half_up((value - spec.min) / spec.step)
    elif spec.kind == "angle":
        if not math.isfinite(value):
            return 0
        turns = value / _TWO_PI
        turns -= math.floor(turns)
        q = _round_half_up(turns * (1 << spec.wire_bits))
        if q > top:
            q = 0
    else:
        return 0
    return int(min(q, top)) if q > 0 else 0


def dequantize(spec: FieldSpec, q: int) -> float:
    """A quantized integer back to its natural value (booleans as 0 / 1)."""
    q = min(q, spec.top)
    if spec.kind == "boolean":
        return 1 if q else 0
    if spec.kind == "integer":
        return spec.min + q
    if spec.kind == "real":
        return min(spec.min + q * spec.step, spec.max)
    return q * _TWO_PI / (1 << spec.wire_bits)


def _bits_to_name(count: int) -> int:
    return 0 if count <= 1 else (count - 1).bit_length()


# ---- entities ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entity:
    """A quantized entity: its type index and its fields' quantized values in schema order."""

    type: int
    fields: tuple[int, ...]


EntitySet = dict[int, Entity]  # id -> entity, in increasing id order


@dataclass(frozen=True, slots=True)
class EntityState:
    """An entity's natural values by field name (`state["x"]`, `state.values`), with its quantized form."""

    id: int
    type: int
    type_name: str
    values: Mapping[str, float | int | bool]
    quantized: tuple[int, ...]

    def __getitem__(self, name: str) -> float | int | bool:
        return self.values[name]


# ---- decoding ------------------------------------------------------------------------------------------------

def _ones_before_zero(peek: int, most: int) -> int:
    ones = 0
    while ones < most and (peek >> ones) & 1:
        ones += 1
    return ones


_OP_OF_PEEK = tuple(_ones_before_zero(v, 3) for v in range(8))
_TIER_OF_PEEK = tuple(_ones_before_zero(v, 4) for v in range(16))


class _Bits:
    """LSB-first bit reader over the payload as one integer: bit i is bit i % 8 of byte i // 8."""

    __slots__ = ("value", "position", "size")

    def __init__(self, data: bytes) -> None:
        self.value = int.from_bytes(data, "little")
        self.position = 0
        self.size = len(data) * 8

    def read(self, bits: int) -> int:
        end = self.position + bits
        if end > self.size:
            raise SnapshotError("truncated")
        out = (self.value >> self.position) & ((1 << bits) - 1)
        self.position = end
        return out

    def bit(self) -> int:
        if self.position >= self.size:
            raise SnapshotError("truncated")
        out = (self.value >> self.position) & 1
        self.position += 1
        return out

    def op(self) -> int:
        """A record's op from its prefix code (0 change, 10 create, 110 remove, 111 end), peeking 3 bits at once."""
        position = self.position
        if position + 3 > self.size:
            op = 0
            while op < 3 and self.bit():
                op += 1
            return op
        op = _OP_OF_PEEK[(self.value >> position) & 7]
        self.position = position + (op + 1 if op < 3 else 3)
        return op

    def gap(self) -> int:
        """An id gap: the unary tier (peeking 4 bits at once), then the tier's value."""
        position = self.position
        if position + 4 > self.size:
            tier = 0
            while tier + 1 < len(_GAP_TIERS) and self.bit():
                tier += 1
        else:
            tier = _TIER_OF_PEEK[(self.value >> position) & 15]
            self.position = position + (tier + 1 if tier < 4 else 4)
        width, first = _GAP_TIERS[tier]
        return first + (self.read(width) if width else 0)


class _TypeReader:
    """Per-type readers precomputed from the schema: (wire bits, top, kind) of each field."""

    __slots__ = ("fields", "specs", "mask_index_bits", "count")

    def __init__(self, entity_type: EntityType) -> None:
        self.specs = entity_type.fields
        self.fields = tuple((s.wire_bits, s.top, s.kind) for s in entity_type.fields)
        self.count = len(entity_type.fields)
        self.mask_index_bits = _bits_to_name(self.count)


def _readers(schema: Schema) -> tuple[list[_TypeReader], int]:
    cached = _READERS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, [_TypeReader(t) for t in schema.types[:MAX_TYPES]],
                  _bits_to_name(min(len(schema.types), MAX_TYPES)))
        if len(_READERS) > 64:
            _READERS.clear()
        _READERS[id(schema)] = cached
    return cached[1], cached[2]


_READERS: dict[int, tuple[Schema, list[_TypeReader], int]] = {}


def _read_number(bits: _Bits, wire: int, top: int, kind: str, old: int) -> int:
    if not bits.bit():
        value = bits.read(wire)
    else:
        medium = bits.bit()
        negative = bits.bit()
        delta = bits.read(_MEDIUM_BITS) + _MEDIUM_FIRST if medium else bits.read(_SMALL_BITS) + _SMALL_FIRST
        value = old - delta if negative else old + delta
        if kind == "angle":
            value %= 1 << wire
        if value < 0:
            raise SnapshotError("value_out_of_range")
    if value > top:
        raise SnapshotError("value_out_of_range")
    return value


def _read_create(bits: _Bits, readers: list[_TypeReader], type_bits: int) -> Entity:
    kind = bits.read(type_bits) if type_bits else 0
    if kind >= len(readers):
        raise SnapshotError("bad_type")
    values = []
    for wire, top, _ in readers[kind].fields:
        value = bits.read(wire)
        if value > top:
            raise SnapshotError("value_out_of_range")
        values.append(value)
    return Entity(kind, tuple(values))


def _read_change(bits: _Bits, readers: list[_TypeReader], old: Entity) -> Entity:
    if old.type >= len(readers) or readers[old.type].count != len(old.fields):
        raise SnapshotError("bad_type")
    reader = readers[old.type]
    count = reader.count
    values = list(old.fields)
    if count == 1:
        changed: range | tuple[int, ...] = (0,)
    elif count == 0:
        changed = ()
    elif bits.bit():
        index = bits.read(reader.mask_index_bits)
        if index >= count:
            raise SnapshotError("value_out_of_range")
        changed = (index,)
    else:
        mask = bits.read(count)
        changed = tuple(i for i in range(count) if (mask >> i) & 1)
    for i in changed:
        wire, top, kind = reader.fields[i]
        if kind == "boolean":
            values[i] = 0 if values[i] else 1
        else:
            values[i] = _read_number(bits, wire, top, kind, values[i])
    return Entity(old.type, tuple(values))


def decode_delta(schema: Schema, baseline: Mapping[int, Entity], data: bytes) -> EntitySet:
    """The set the server encoded from `baseline` (empty for a full snapshot) and the payload. Returns a new dict in
    id order sharing unchanged entities with `baseline`; raises SnapshotError."""
    readers, type_bits = _readers(schema)
    bits = _Bits(data)
    ids = sorted(baseline)
    target: EntitySet = {}
    settled = 0  # baseline ids before ids[settled] are settled
    previous = -1
    while True:
        op = bits.op()
        if op == _END:
            break
        ident = previous + 1 + bits.gap()
        if ident > 0xFFFFFFFF:
            raise SnapshotError("bad_id_order")
        previous = ident
        while settled < len(ids) and ids[settled] < ident:
            target[ids[settled]] = baseline[ids[settled]]
            settled += 1
        in_baseline = settled < len(ids) and ids[settled] == ident
        if op == _CREATE:
            settled += in_baseline
            target[ident] = _read_create(bits, readers, type_bits)
        else:
            if not in_baseline:
                raise SnapshotError("unknown_entity")
            settled += 1
            if op == _CHANGE:
                target[ident] = _read_change(bits, readers, baseline[ident])
        if len(target) > MAX_ENTITIES:
            raise SnapshotError("too_many_entities")
    for ident in ids[settled:]:
        target[ident] = baseline[ident]
    if len(target) > MAX_ENTITIES:
        raise SnapshotError("too_many_entities")
    left = bits.size - bits.position
    if left >= 8 or bits.read(left) != 0:
        raise SnapshotError("trailing_bytes")
    return target


# ---- the per-room decoder ---------------------------------------------------------------------------------------

class SnapshotDecoder:
    """Decodes one room's RoomSnapshot payloads into named entity states, keeping recent ones as baselines."""

    def __init__(self, schema_json: str | bytes | Mapping[str, Any] | Schema) -> None:
        self.schema = schema_json if isinstance(schema_json, Schema) else schema_from_json(schema_json)
        readers, _ = _readers(self.schema)
        self._naturals: list[tuple[str, tuple[tuple[str, Callable[[int], float | int | bool]], ...]]] = [
            (t.name, tuple((s.name, _natural_of(s)) for s in t.fields)) for t in self.schema.types[:MAX_TYPES]]
        self._kept: dict[int, tuple[EntitySet, dict[int, EntityState]]] = {}
        self.newest_tick = 0

    def decode(self, tick: int, baseline_tick: int, data: bytes) -> dict[int, EntityState]:
        """The world at `tick`. Raises SnapshotError (code unknown_baseline when `baseline_tick` was never decoded
        or is forgotten: then acknowledge nothing until a full snapshot comes)."""
        base_set: Mapping[int, Entity] = {}
        base_states: Mapping[int, EntityState] = {}
        if baseline_tick:
            kept = self._kept.get(baseline_tick)
            if kept is None:
                raise SnapshotError("unknown_baseline", f"baseline tick {baseline_tick} is not held")
            base_set, base_states = kept
        entities = decode_delta(self.schema, base_set, data)
        states: dict[int, EntityState] = {}
        for ident, entity in entities.items():
            old = base_states.get(ident)
            states[ident] = old if old is not None and base_set.get(ident) is entity else self._state(ident, entity)
        self._kept[tick] = (entities, states)
        if len(self._kept) > KEPT_BASELINES:
            del self._kept[min(self._kept)]
        self.newest_tick = max(self.newest_tick, tick)
        return states

    def reset(self) -> None:
        """Forgets every baseline (a room joined again)."""
        self._kept.clear()
        self.newest_tick = 0

    def _state(self, ident: int, entity: Entity) -> EntityState:
        name, fields = self._naturals[entity.type]
        values = {field: natural(q) for (field, natural), q in zip(fields, entity.fields)}
        return EntityState(ident, entity.type, name, values, entity.fields)


def _natural_of(spec: FieldSpec) -> Callable[[int], float | int | bool]:
    """dequantize(spec, q) with the spec's constants bound once: states are built per changed entity per snapshot."""
    top = spec.top
    if spec.kind == "boolean":
        return bool
    if spec.kind == "integer":
        low = spec.min
        if float(low).is_integer():
            low_int = int(low)
            return lambda q: low_int + (q if q < top else top)
        return lambda q: low + (q if q < top else top)
    if spec.kind == "real":
        low, step, high = spec.min, spec.step, spec.max
        return lambda q: min(low + (q if q < top else top) * step, high)
    turn = 1 << spec.wire_bits
    return lambda q: q * _TWO_PI / turn


# ---- encoding (tests and tools; the server encodes in C++) ------------------------------------------------------

class _Writer:
    __slots__ = ("value", "size")

    def __init__(self) -> None:
        self.value = 0
        self.size = 0

    def write(self, value: int, bits: int) -> None:
        self.value |= (value & ((1 << bits) - 1)) << self.size
        self.size += bits

    def finish(self) -> bytes:
        return self.value.to_bytes((self.size + 7) // 8, "little")


def _write_record(out: _Writer, op: int, gap: int) -> None:
    out.write(*((0, 1), (1, 2), (3, 3), (7, 3))[op])
    tier = 0
    while tier + 1 < len(_GAP_TIERS) and gap >= _GAP_TIERS[tier + 1][1]:
        tier += 1
    for _ in range(tier):
        out.write(1, 1)
    if tier + 1 < len(_GAP_TIERS):
        out.write(0, 1)
    out.write(gap - _GAP_TIERS[tier][1], _GAP_TIERS[tier][0])


def _field_delta(spec: FieldSpec, old: int, new: int) -> int:
    delta = new - old
    if spec.kind == "angle":
        turn = 1 << spec.wire_bits
        delta %= turn
        if delta >= turn / 2:
            delta -= turn
    return delta


def _coding(spec: FieldSpec, size: int) -> str:
    full = 1 + spec.wire_bits
    if size < _MEDIUM_FIRST and _SMALL_COST < full:
        return "small"
    if size < _MEDIUM_FIRST + 2 ** _MEDIUM_BITS and _MEDIUM_COST < full:
        return "medium"
    return "full"


def _number_cost(spec: FieldSpec, old: int, new: int) -> int:
    coding = _coding(spec, abs(_field_delta(spec, old, new)))
    return _SMALL_COST if coding == "small" else _MEDIUM_COST if coding == "medium" else 1 + spec.wire_bits


def _write_number(out: _Writer, spec: FieldSpec, old: int, new: int) -> None:
    delta = _field_delta(spec, old, new)
    coding = _coding(spec, abs(delta))
    if coding == "full":
        out.write(0, 1)
        out.write(new, spec.wire_bits)
        return
    small = coding == "small"
    out.write(1 if small else 3, 2)
    out.write(1 if delta < 0 else 0, 1)
    out.write(abs(delta) - (_SMALL_FIRST if small else _MEDIUM_FIRST), _SMALL_BITS if small else _MEDIUM_BITS)


def _write_change(out: _Writer, schema: Schema, specs: tuple[FieldSpec, ...], old: Entity, new: Entity,
                  gap: int) -> str:
    changed = [a != b for a, b in zip(old.fields, new.fields)]
    count = sum(changed)
    if count == 0:
        return "same"
    create_cost = 1 + _bits_to_name(min(len(schema.types), MAX_TYPES)) + sum(s.wire_bits for s in specs)
    numbers_cost = sum(_number_cost(s, old.fields[i], new.fields[i])
                       for i, s in enumerate(specs) if changed[i] and s.kind != "boolean")
    mask_cost = 0
    if len(specs) > 1:
        mask_cost = 1 + _bits_to_name(len(specs)) if count == 1 else 1 + len(specs)
    if create_cost < mask_cost + numbers_cost:
        return "create"
    _write_record(out, _CHANGE, gap)
    if len(specs) > 1:
        out.write(1 if count == 1 else 0, 1)
        if count == 1:
            out.write(changed.index(True), _bits_to_name(len(specs)))
        else:
            for c in changed:
                out.write(1 if c else 0, 1)
    for i, spec in enumerate(specs):
        if changed[i] and spec.kind != "boolean":
            _write_number(out, spec, old.fields[i], new.fields[i])
    return "changed"


def encode_delta(schema: Schema, baseline: Mapping[int, Entity], target: Mapping[int, Entity]) -> bytes:
    """`target` as a delta against `baseline`, the same bytes the C++ encoder writes. Entities must be valid."""
    out = _Writer()
    old_ids = sorted(baseline)
    b = 0
    previous = -1
    for ident in sorted(target):
        while b < len(old_ids) and old_ids[b] < ident:
            _write_record(out, _REMOVE, old_ids[b] - previous - 1)
            previous = old_ids[b]
            b += 1
        entity = target[ident]
        specs = schema.types[entity.type].fields
        before = None
        if b < len(old_ids) and old_ids[b] == ident:
            before = baseline[ident]
            b += 1
        if before is not None and before.type == entity.type:
            written = _write_change(out, schema, specs, before, entity, ident - previous - 1)
            if written == "changed":
                previous = ident
            if written != "create":
                continue
        _write_record(out, _CREATE, ident - previous - 1)
        previous = ident
        out.write(entity.type, _bits_to_name(min(len(schema.types), MAX_TYPES)))
        for spec, value in zip(specs, entity.fields):
            out.write(value, spec.wire_bits)
    for ident in old_ids[b:]:
        _write_record(out, _REMOVE, ident - previous - 1)
        previous = ident
    out.write(7, 3)
    return out.finish()
