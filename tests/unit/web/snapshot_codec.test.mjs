// The SDK's snapshot codec (sdk/js/src/snapshot_codec.ts) under Node's test runner, against bytes the C++ encoder
// wrote: the fixture snapshot_vectors.json is produced and kept current by tests/unit/snapshot_vectors_test.cpp, so
// agreement between the server's codec and the browser's is tested here, not assumed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// The SDK's build (sdk/js/dist, made by `npm run build` there or the guildhall-sdk-js target).
const {
  SnapshotError, MAX_ENTITIES, schemaFromJson, quantize, dequantize, naturalFields, decodeDelta, encodeDelta,
} = await import(new URL('../../../sdk/js/dist/index.js', import.meta.url).href);

const fixture = JSON.parse(await readFile(new URL('./snapshot_vectors.json', import.meta.url), 'utf8'));
const schema = schemaFromJson(JSON.stringify(fixture.schema));

const toBytes = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const toSet = (entities) => new Map(entities.map(([id, type, fields]) => [id, { type, fields: Uint32Array.from(fields) }]));
const fromSet = (set) => [...set].map(([id, { type, fields }]) => [id, type, [...fields]]);

test('the schema arrives as the server wrote it', () => {
  assert.equal(schema.types.length, 5);
  assert.deepEqual(schema.types[0].fields[0], { name: 'x', kind: 'real', min: -50, max: 50, step: 0.01, bits: 14 });
  assert.equal(schema.types[0].fields[5].max, 100000);
  assert.equal(schema.types[3].fields.length, 0);
});

test('quantization agrees with the server to the bit', () => {
  assert.ok(fixture.quantize.length > 100);
  for (const { type, field, value, q, natural } of fixture.quantize) {
    const spec = schema.types[type].fields[field];
    assert.equal(quantize(spec, value), q, `${spec.name} ${value}`);
    assert.equal(dequantize(spec, q), natural, `${spec.name} ${q}`);
  }
});

test('every delta the C++ encoder wrote decodes to its target', () => {
  assert.ok(fixture.deltas.length > 30);
  for (const { name, baseline, target, bytes } of fixture.deltas) {
    const decoded = decodeDelta(schema, toSet(baseline), toBytes(bytes));
    assert.deepEqual(fromSet(decoded), target, name);
    assert.deepEqual([...decoded.keys()], target.map(([id]) => id), `${name}: in id order`);
  }
});

test('the JavaScript encoder writes the same bytes as the C++ one', () => {
  for (const { name, baseline, target, bytes } of fixture.deltas) {
    const encoded = encodeDelta(schema, toSet(baseline), toSet(target));
    assert.equal(Buffer.from(encoded).toString('hex'), bytes, name);
  }
});

test('hostile bytes give the same error codes as in C++', () => {
  assert.equal(fixture.errors.length, 11);
  for (const { name, baseline, bytes, error } of fixture.errors) {
    assert.throws(() => decodeDelta(schema, toSet(baseline), toBytes(bytes)),
      (err) => err instanceof SnapshotError && err.code === error, name);
  }
});

test('every truncation and byte flip of a real delta is an error or a set, never a crash', () => {
  const codes = new Set(['truncated', 'bad_type', 'bad_id_order', 'unknown_entity', 'too_many_entities',
    'trailing_bytes', 'value_out_of_range']);
  for (const { baseline, bytes } of fixture.deltas.slice(0, 12)) {
    const base = toSet(baseline);
    const good = toBytes(bytes);
    const variants = [];
    for (let cut = 0; cut < good.length; cut += 1) variants.push(good.subarray(0, cut));
    for (let at = 0; at < good.length; at += 1) {
      for (const replacement of [0x00, 0xff, good[at] ^ 0x80]) {
        const mutated = Uint8Array.from(good);
        mutated[at] = replacement;
        variants.push(mutated);
      }
    }
    for (const variant of variants) {
      try {
        const decoded = decodeDelta(schema, base, variant);
        assert.ok(decoded.size <= MAX_ENTITIES);
      } catch (err) {
        assert.ok(err instanceof SnapshotError && codes.has(err.code), String(err));
      }
    }
  }
});

test('a client keeps a ring of sets: deltas after a gap and out of order decode', () => {
  const ticks = fixture.deltas.filter((d) => d.name.endsWith(' full')).map((d) => toSet(d.target));
  const ring = new Map([[1, ticks[0]]]);
  // Acked tick 1; ticks 2..5 lost; tick 6 arrives against 1, then a late tick 3 against 1.
  ring.set(6, decodeDelta(schema, ring.get(1), encodeDelta(schema, ring.get(1), ticks[5])));
  ring.set(3, decodeDelta(schema, ring.get(1), encodeDelta(schema, ring.get(1), ticks[2])));
  assert.deepEqual(fromSet(ring.get(6)), fromSet(ticks[5]));
  assert.deepEqual(fromSet(ring.get(3)), fromSet(ticks[2]));
});

test('natural values come back as the game wrote them', () => {
  const player = schema.types[0].fields;
  const fields = Uint32Array.from([quantize(player[0], 12.34), quantize(player[1], 99), quantize(player[2], Math.PI),
    quantize(player[3], 80), quantize(player[4], true), quantize(player[5], -7)]);
  const natural = naturalFields(schema, { type: 0, fields });
  assert.ok(Math.abs(natural.x - 12.34) < 1e-9);
  assert.equal(natural.y, 99);
  assert.equal(natural.aim, Math.PI);
  assert.equal(natural.health, 80);
  assert.equal(natural.alive, true);
  assert.equal(natural.score, -7);
});

test('a schema that breaks the rules is refused', () => {
  const bad = (json) => assert.throws(() => schemaFromJson(json), (err) => err.code === 'bad_schema');
  bad('{}');
  bad({ types: [{ name: 't', fields: [{ name: 'f', kind: 'vector', min: 0, max: 1, step: 1, bits: 1 }] }] });
  bad({ types: [{ name: 't', fields: [{ name: 'f', kind: 'integer', min: 0, max: 1, step: 1, bits: 33 }] }] });
  bad({ types: [{ name: 't', fields: [{ name: 'f', kind: 'integer', min: 0, max: '1', step: 1, bits: 3 }] }] });
  bad({ types: [{ name: 't', fields: Array(33).fill({ name: 'f', kind: 'boolean', min: 0, max: 1, step: 1, bits: 1 }) }] });
  bad({ types: Array(257).fill({ name: 't', fields: [] }) });
});
