// Room snapshots for browsers and Node: the schema's quantization and the bit-packed delta format of
// docs/protocol.md ("Room snapshots: the bit format"), byte-compatible with the server's C++ codec
// (src/wire/snapshot/). Sans-I/O: bytes in, entities out; no dependencies, no globals.
// tests/unit/web/snapshot_codec.test.mjs checks it against bytes the C++ encoder wrote.
//
// An entity set is a Map from id to { type, fields: Uint32Array } (quantized values in schema order), in
// increasing id order. decodeDelta() shares the entries of unchanged entities with its baseline instead of
// copying them: treat a set's entries as immutable.

export type FieldKind = 'boolean' | 'integer' | 'real' | 'angle';
/** One field of an entity type: its kind, range and quantization (wire/snapshot/schema.hpp). */
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  min: number;
  max: number;
  step: number;
  bits: number;
}
export interface EntityType {
  name: string;
  fields: FieldSpec[];
}
/** A room's snapshot schema, from RoomJoined.schemaJson. */
export interface Schema {
  types: EntityType[];
}
/** One entity: its type (index into schema.types) and quantized field values in schema order. */
export interface Entity {
  type: number;
  fields: Uint32Array;
}
/** An entity set: id -> entity, in increasing id order. */
export type EntitySet = Map<number, Entity>;

/** The most entities one snapshot may hold: bounds what hostile bytes can make the decoder allocate. */
export const MAX_ENTITIES = 65535;
/** The most fields an entity type may have. */
export const MAX_FIELDS = 32;
const MAX_TYPES = 256;
const KINDS: readonly FieldKind[] = ['boolean', 'integer', 'real', 'angle'];
const TWO_PI = 2 * Math.PI;
const STEP_SLACK = 1e-9;

// Id gaps: a unary tier number (0, 10, 110, 1110, 1111), then `width` bits, plus the tier's first gap.
const GAP_TIERS: readonly (readonly [number, number])[] = [[0, 0], [3, 1], [6, 9], [12, 73], [32, 4169]];
// A changed number: 0 + full value | 10 + sign + 4 bits (|delta| 1..16) | 11 + sign + 8 bits (17..272).
const SMALL_BITS = 4;
const SMALL_FIRST = 1;
const MEDIUM_BITS = 8;
const MEDIUM_FIRST = SMALL_FIRST + 2 ** SMALL_BITS;
const SMALL_COST = 3 + SMALL_BITS;
const MEDIUM_COST = 3 + MEDIUM_BITS;
const OP_CHANGE = 0;
const OP_CREATE = 1;
const OP_REMOVE = 2;
const OP_END = 3;

/** Thrown for bytes (or a schema) that cannot be decoded; `code` matches the C++ snapshot_error names. */
export class SnapshotError extends Error {
  readonly code: string;

  constructor(code: string, message = code) {
    super(`snapshot: ${message}`);
    this.name = 'SnapshotError';
    this.code = code;
  }
}

// ---- Schema ------------------------------------------------------------------------------------------------

function bitsFor(largest: number): number {
  let bits = 1;
  while (bits < 32 && Math.floor(largest / 2 ** bits) !== 0) bits += 1;
  return bits;
}

function bitsToName(count: number): number {
  return count <= 1 ? 0 : bitsFor(count - 1);
}

/**
 * The schema the server sends (wire/snapshot/schema_json.hpp), checked: at most 256 types of at most 32 fields,
 * kinds boolean/integer/real/angle, bits 1..32, finite numbers. Accepts the JSON text or the parsed object.
 * Throws a SnapshotError with code 'bad_schema'.
 */
export function schemaFromJson(json: unknown): Schema {
  const doc = (typeof json === 'string' ? JSON.parse(json) : json) as any;
  const bad = (why: string) => new SnapshotError('bad_schema', why);
  if (!doc || !Array.isArray(doc.types)) throw bad('no types');
  if (doc.types.length > MAX_TYPES) throw bad('too many types');
  const types = doc.types.map((type: any): EntityType => {
    if (!type || !Array.isArray(type.fields)) throw bad('a type without fields');
    if (type.fields.length > MAX_FIELDS) throw bad(`type ${type.name}: too many fields`);
    const fields = type.fields.map((f: any): FieldSpec => {
      if (!f || !KINDS.includes(f.kind)) throw bad(`type ${type.name}: unknown field kind`);
      const spec: FieldSpec = {
        name: String(f.name ?? ''), kind: f.kind, min: f.min, max: f.max, step: f.step, bits: f.bits,
      };
      for (const key of ['min', 'max', 'step', 'bits']) {
        const value = spec[key as keyof FieldSpec];
        if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`field ${spec.name}: ${key}`);
      }
      if (!Number.isInteger(spec.bits) || spec.bits < 1 || spec.bits > 32) throw bad(`field ${spec.name}: bits`);
      return spec;
    });
    return { name: String(type.name ?? ''), fields };
  });
  return { types };
}

// ---- Quantization (src/wire/snapshot/quantize.cpp, step for step: results must be bit-identical) -----------

const roundHalfUp = (x: number) => Math.floor(x + 0.5);

/** The field's width on the wire. */
export function wireBits(spec: FieldSpec): number {
  return spec.kind === 'boolean' ? 1 : Math.min(Math.max(spec.bits, 1), 32);
}

/** The largest quantized value the field holds. */
export function maxQuantized(spec: FieldSpec): number {
  const cap = 2 ** wireBits(spec) - 1;
  let steps = 0;
  switch (spec.kind) {
    case 'boolean': return 1;
    case 'angle': return cap;
    case 'integer':
      if (spec.max > spec.min) steps = roundHalfUp(spec.max - spec.min);
      break;
    case 'real':
      if (spec.max > spec.min && spec.step > 0) steps = Math.ceil((spec.max - spec.min) / spec.step - STEP_SLACK);
      break;
    default: return 0;
  }
  if (!(steps > 0)) return 0;
  return Math.min(steps, cap);
}

/** A natural value (number or boolean) to its quantized integer. */
export function quantize(spec: FieldSpec, natural: number | boolean): number {
  const value = Number(natural);
  if (Number.isNaN(value)) return 0;
  const top = maxQuantized(spec);
  let q = 0;
  switch (spec.kind) {
    case 'boolean': return value !== 0 ? 1 : 0;
    case 'integer': q = roundHalfUp(value - spec.min); break;
    case 'real':
      if (value >= spec.max) return top;
      q = roundHalfUp((value - spec.min) / spec.step);
      break;
    case 'angle': {
      if (!Number.isFinite(value)) return 0;
      let turns = value / TWO_PI;
      turns -= Math.floor(turns);
      q = roundHalfUp(turns * 2 ** wireBits(spec));
      if (q > top) q = 0;
      break;
    }
    default: return 0;
  }
  if (!(q > 0)) return 0;
  return Math.min(q, top);
}

/** A quantized integer back to its natural value (booleans as 0 / 1). */
export function dequantize(spec: FieldSpec, quantized: number): number {
  const q = Math.min(quantized, maxQuantized(spec));
  switch (spec.kind) {
    case 'boolean': return q !== 0 ? 1 : 0;
    case 'integer': return spec.min + q;
    case 'real': return Math.min(spec.min + q * spec.step, spec.max);
    case 'angle': return (q * TWO_PI) / 2 ** wireBits(spec);
    default: return 0;
  }
}

/** An entity's natural values ({x: 1.5, alive: true, ...}) from its quantized ones. */
export function naturalFields(schema: Schema, entity: Entity): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  fieldsOf(schema, entity.type).forEach((spec, i) => {
    const value = dequantize(spec, entity.fields[i] ?? 0);
    out[spec.name] = spec.kind === 'boolean' ? value === 1 : value;
  });
  return out;
}

// ---- Bits ----------------------------------------------------------------------------------------------------

// LSB-first: bit i of the stream is bit i % 8 of byte i / 8; values are written least significant bit first.
class BitReader {
  readonly bytes: Uint8Array;
  position: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.position = 0;
  }

  get bitsLeft(): number {
    return this.bytes.length * 8 - this.position;
  }

  read(bits: number): number {
    if (bits > this.bitsLeft) throw new SnapshotError('truncated');
    let value = 0;
    let got = 0;
    while (got < bits) {
      const shift = this.position & 7;
      const take = Math.min(8 - shift, bits - got);
      const chunk = ((this.bytes[this.position >>> 3] ?? 0) >>> shift) & ((1 << take) - 1);
      value += chunk * 2 ** got;  // multiplication, not <<: values reach 2^32 - 1
      got += take;
      this.position += take;
    }
    return value;
  }

  bit(): boolean {
    return this.read(1) === 1;
  }
}

class BitWriter {
  bytes: number[];
  current: number;
  used: number;

  constructor() {
    this.bytes = [];
    this.current = 0;
    this.used = 0;  // bits of `current` filled
  }

  write(input: number, bits: number): void {
    let value = input;
    let left = bits;
    while (left > 0) {
      const take = Math.min(8 - this.used, left);
      const unit = 2 ** take;
      this.current |= (value % unit) << this.used;
      value = Math.floor(value / unit);
      this.used += take;
      left -= take;
      if (this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
  }

  finish(): Uint8Array {
    if (this.used > 0) this.bytes.push(this.current);
    return Uint8Array.from(this.bytes);
  }
}

// ---- Decoding ------------------------------------------------------------------------------------------------

function sortedIds(set: EntitySet): Float64Array {
  return Float64Array.from(set.keys()).sort();
}

function readOp(bits: BitReader): number {
  for (let ones = 0; ones < 3; ones += 1) {
    if (!bits.bit()) return ones;
  }
  return OP_END;
}

function readGap(bits: BitReader): number {
  let tier = 0;
  while (tier + 1 < GAP_TIERS.length && bits.bit()) tier += 1;
  const [width, first] = GAP_TIERS[tier]!;
  return first + bits.read(width);
}

function fieldsOf(schema: Schema, type: number): FieldSpec[] {
  if (type >= Math.min(schema.types.length, MAX_TYPES)) throw new SnapshotError('bad_type');
  const { fields } = schema.types[type]!;
  if (fields.length > MAX_FIELDS) throw new SnapshotError('bad_type');
  return fields;
}

function checked(spec: FieldSpec, value: number): number {
  if (value > maxQuantized(spec)) throw new SnapshotError('value_out_of_range');
  return value;
}

function readCreate(schema: Schema, bits: BitReader): Entity {
  const type = bits.read(bitsToName(Math.min(schema.types.length, MAX_TYPES)));
  const specs = fieldsOf(schema, type);
  const fields = new Uint32Array(specs.length);
  specs.forEach((spec, i) => {
    fields[i] = checked(spec, bits.read(wireBits(spec)));
  });
  return { type, fields };
}

function readMask(bits: BitReader, count: number): boolean[] {
  const mask: boolean[] = new Array(count).fill(false);
  if (count === 1) mask[0] = true;
  if (count <= 1) return mask;
  if (bits.bit()) {
    const index = bits.read(bitsToName(count));
    if (index >= count) throw new SnapshotError('value_out_of_range');
    mask[index] = true;
  } else {
    for (let i = 0; i < count; i += 1) mask[i] = bits.bit();
  }
  return mask;
}

function readNumber(bits: BitReader, spec: FieldSpec, old: number): number {
  if (!bits.bit()) return checked(spec, bits.read(wireBits(spec)));
  const medium = bits.bit();
  const negative = bits.bit();
  let delta = bits.read(medium ? MEDIUM_BITS : SMALL_BITS) + (medium ? MEDIUM_FIRST : SMALL_FIRST);
  if (negative) delta = -delta;
  let next = old + delta;
  if (spec.kind === 'angle') {
    const turn = 2 ** wireBits(spec);
    next = ((next % turn) + turn) % turn;
  }
  if (next < 0) throw new SnapshotError('value_out_of_range');
  return checked(spec, next);
}

function readChange(schema: Schema, bits: BitReader, old: Entity): Entity {
  const specs = fieldsOf(schema, old.type);
  if (specs.length !== old.fields.length) throw new SnapshotError('bad_type');
  const mask = readMask(bits, specs.length);
  const fields = Uint32Array.from(old.fields);
  specs.forEach((spec, i) => {
    if (!mask[i]) return;
    if (spec.kind === 'boolean') fields[i] = old.fields[i] === 0 ? 1 : 0;
    else fields[i] = readNumber(bits, spec, old.fields[i]!);
  });
  return { type: old.type, fields };
}

/**
 * Rebuilds the set the server encoded from `baseline` (a Map as described above; an empty Map for a full
 * snapshot) and the payload bytes (Uint8Array). Returns a new Map; throws a SnapshotError whose code is one of
 * truncated, bad_type, bad_id_order, unknown_entity, too_many_entities, trailing_bytes, value_out_of_range.
 */
export function decodeDelta(schema: Schema, baseline: EntitySet, bytes: Uint8Array | ArrayLike<number>): EntitySet {
  const bits = new BitReader(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  const ids = sortedIds(baseline);
  const target: EntitySet = new Map();
  let next = 0;  // baseline ids before ids[next] are settled
  let previous = -1;
  const add = (id: number, entity: Entity) => {
    if (target.size >= MAX_ENTITIES) throw new SnapshotError('too_many_entities');
    target.set(id, entity);
  };
  const copyBelow = (id: number) => {
    for (; next < ids.length && ids[next]! < id; next += 1) add(ids[next]!, baseline.get(ids[next]!)!);
  };
  for (;;) {
    const op = readOp(bits);
    if (op === OP_END) break;
    const id = previous + 1 + readGap(bits);
    if (id > 0xffffffff) throw new SnapshotError('bad_id_order');
    previous = id;
    copyBelow(id);
    const inBaseline = next < ids.length && ids[next] === id;
    if (op === OP_CREATE) {
      if (inBaseline) next += 1;
      add(id, readCreate(schema, bits));
      continue;
    }
    if (!inBaseline) throw new SnapshotError('unknown_entity');
    next += 1;
    if (op === OP_CHANGE) add(id, readChange(schema, bits, baseline.get(id)!));
  }
  copyBelow(Infinity);
  if (bits.bitsLeft >= 8 || bits.read(bits.bitsLeft) !== 0) throw new SnapshotError('trailing_bytes');
  return target;
}

// ---- Encoding (for tests and tools; the server encodes in C++) ------------------------------------------------

function writeOp(bits: BitWriter, op: number): void {
  const codes: [number, number][] = [[0, 1], [1, 2], [3, 3], [7, 3]];  // 0, 10, 110, 111 read LSB first
  const [value, width] = codes[op]!;
  bits.write(value, width);
}

function writeRecord(bits: BitWriter, op: number, gap: number): void {
  writeOp(bits, op);
  let tier = 0;
  while (tier + 1 < GAP_TIERS.length && gap >= GAP_TIERS[tier + 1]![1]) tier += 1;
  for (let i = 0; i < tier; i += 1) bits.write(1, 1);
  if (tier + 1 < GAP_TIERS.length) bits.write(0, 1);
  const [width, first] = GAP_TIERS[tier]!;
  bits.write(gap - first, width);
}

function fieldDelta(spec: FieldSpec, from: number, to: number): number {
  let delta = to - from;
  if (spec.kind === 'angle') {
    const turn = 2 ** wireBits(spec);
    delta = ((delta % turn) + turn) % turn;
    if (delta >= turn / 2) delta -= turn;
  }
  return delta;
}

// The shortest coding that carries the change (ties go to the full value): 'small', 'medium' or 'full'.
function chooseCoding(spec: FieldSpec, size: number): 'small' | 'medium' | 'full' {
  const fullCost = 1 + wireBits(spec);
  if (size < MEDIUM_FIRST && SMALL_COST < fullCost) return 'small';
  if (size < MEDIUM_FIRST + 2 ** MEDIUM_BITS && MEDIUM_COST < fullCost) return 'medium';
  return 'full';
}

function numberCost(spec: FieldSpec, from: number, to: number): number {
  const coding = chooseCoding(spec, Math.abs(fieldDelta(spec, from, to)));
  if (coding === 'small') return SMALL_COST;
  if (coding === 'medium') return MEDIUM_COST;
  return 1 + wireBits(spec);
}

function writeNumber(bits: BitWriter, spec: FieldSpec, from: number, to: number): void {
  const delta = fieldDelta(spec, from, to);
  const size = Math.abs(delta);
  const coding = chooseCoding(spec, size);
  if (coding === 'full') {
    bits.write(0, 1);
    bits.write(to, wireBits(spec));
    return;
  }
  const small = coding === 'small';
  bits.write(small ? 1 : 3, 2);
  bits.write(delta < 0 ? 1 : 0, 1);
  bits.write(size - (small ? SMALL_FIRST : MEDIUM_FIRST), small ? SMALL_BITS : MEDIUM_BITS);
}

// Writes a change record, or nothing when nothing changed. Returns 'same', 'changed', or 'create' when a whole
// create is strictly shorter (the caller writes that instead).
function writeChange(bits: BitWriter, schema: Schema, specs: FieldSpec[], from: Uint32Array, to: Uint32Array,
  gap: number): 'same' | 'changed' | 'create' {
  const changed = specs.map((_, i) => from[i] !== to[i]);
  const count = changed.filter(Boolean).length;
  if (count === 0) return 'same';
  let createCost = 1 + bitsToName(Math.min(schema.types.length, MAX_TYPES));
  let numbersCost = 0;
  specs.forEach((spec, i) => {
    createCost += wireBits(spec);
    if (changed[i] && spec.kind !== 'boolean') numbersCost += numberCost(spec, from[i]!, to[i]!);
  });
  let maskCost = 0;
  if (specs.length > 1) maskCost = count === 1 ? 1 + bitsToName(specs.length) : 1 + specs.length;
  if (createCost < maskCost + numbersCost) return 'create';
  writeRecord(bits, OP_CHANGE, gap);
  if (specs.length > 1) {
    bits.write(count === 1 ? 1 : 0, 1);
    if (count === 1) bits.write(changed.indexOf(true), bitsToName(specs.length));
    else changed.forEach((c) => bits.write(c ? 1 : 0, 1));
  }
  specs.forEach((spec, i) => {
    if (changed[i] && spec.kind !== 'boolean') writeNumber(bits, spec, from[i]!, to[i]!);
  });
  return 'changed';
}

/**
 * Encodes `target` as a delta against `baseline` (both Maps as above), exactly as the C++ encoder does for valid
 * input: the same bytes. Entities must have types in the schema and valid quantized values.
 */
export function encodeDelta(schema: Schema, baseline: EntitySet, target: EntitySet): Uint8Array {
  const bits = new BitWriter();
  const ids = sortedIds(target);
  const old = sortedIds(baseline);
  let b = 0;
  let previous = -1;
  const record = (op: number, id: number) => {
    writeRecord(bits, op, id - previous - 1);
    previous = id;
  };
  for (const id of ids) {
    for (; b < old.length && old[b]! < id; b += 1) record(OP_REMOVE, old[b]!);
    const entity = target.get(id)!;
    const specs = fieldsOf(schema, entity.type);
    const before = b < old.length && old[b] === id ? baseline.get(old[b++]!) : undefined;
    if (before && before.type === entity.type) {
      const written = writeChange(bits, schema, specs, before.fields, entity.fields, id - previous - 1);
      if (written === 'changed') previous = id;
      if (written !== 'create') continue;
    }
    record(OP_CREATE, id);
    bits.write(entity.type, bitsToName(Math.min(schema.types.length, MAX_TYPES)));
    specs.forEach((spec, i) => bits.write(entity.fields[i]!, wireBits(spec)));
  }
  for (; b < old.length; b += 1) record(OP_REMOVE, old[b]!);
  writeOp(bits, OP_END);
  return bits.finish();
}
