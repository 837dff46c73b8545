// The SDK's protocol types against guildhall.proto, the single source of truth: src/protocol.ts is what the
// generator makes of the .proto today; every request, answer and push the SDK names is a real Envelope body of
// the right direction and message; every field the SDK sends type-checks against the generated types (tsc); and
// the build touches no browser global at import.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generate, OUTPUT_PATH, PROTO_PATH } from '../scripts/generate_protocol.mjs';
import { jsonName, parseProto, resolveType } from '../scripts/proto.mjs';
import * as sdk from '../dist/index.js';

const protoText = await readFile(PROTO_PATH, 'utf8');
const proto = parseProto(protoText);
const envelope = proto.messages.find((m) => m.name === 'Envelope');
const source = (file) => readFile(new URL(`../src/${file}`, import.meta.url), 'utf8');

/** Envelope body field (JSON name) -> {section, message}. */
const bodies = new Map(envelope.fields.filter((f) => f.oneof === 'body').map((f) => [f.jsonName, {
  section: f.section, message: resolveType(proto, 'Envelope', f.type).fullName,
}]));

/** `name: v1.Type;` members of `interface Name { ... }` in TypeScript source. */
function interfaceMembers(text, name) {
  const body = new RegExp(`interface ${name}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
  assert.ok(body, `no interface ${name}`);
  return [...body.matchAll(/^\s+(\w+)\??: (?:v1\.)?(\w+);/gm)].map(([, member, type]) => ({ member, type }));
}

test('the parser reads messages, nested enums, maps, optional fields and oneof sections; refuses the rest', () => {
  const parsed = parseProto(`syntax = "proto3"; package p;
    message Outer { oneof body {
      // Requests (client -> server).
      Inner ask = 1;
      // Pushes (server -> client).
      Inner.Kind tell = 2; }
      message Inner { enum Kind { A = 0; B = 1; } map<string, double> by_name = 1; optional uint32 some_count = 2; }
    }`);
  const outer = parsed.messages.find((m) => m.name === 'Outer');
  assert.deepEqual(outer.fields.map((f) => [f.jsonName, f.section]), [['ask', 'request'], ['tell', 'push']]);
  const inner = parsed.messages.find((m) => m.fullName === 'Outer.Inner');
  assert.deepEqual(inner.fields.map((f) => [f.jsonName, f.type, f.optional]),
    [['byName', 'map', false], ['someCount', 'uint32', true]]);
  assert.deepEqual(parsed.enums[0].values.map((v) => v.name), ['A', 'B']);
  assert.equal(resolveType(parsed, 'Outer.Inner', 'Kind').fullName, 'Outer.Inner.Kind');
  assert.throws(() => parseProto('syntax = "proto3"; service S {}'), /not supported/);
  assert.throws(() => parseProto('syntax = "proto2";'), /not supported/);
  assert.throws(() => resolveType(parsed, 'Outer', 'Missing'), /unknown type/);
  assert.equal(jsonName('from_user_id'), 'fromUserId');
});

test('src/protocol.ts is what guildhall.proto generates today (run npm run generate after a .proto change)',
  async () => {
    assert.equal(await readFile(OUTPUT_PATH, 'utf8'), generate(protoText));
    const generated = await source('protocol.ts');
    for (const message of proto.messages.filter((m) => m !== envelope)) {
      const name = message.fullName.replaceAll('.', '_');
      const members = new RegExp(`export interface ${name} \\{([^}]*)\\}`).exec(generated)?.[1] ?? '';
      const names = [...members.matchAll(/^\s+(\w+)\?:/gm)].map((m) => m[1]);
      assert.deepEqual(names, message.fields.map((f) => jsonName(f.name)), `fields of ${name}`);
    }
  });

test('every request the SDK sends, every answer it expects and every push it dispatches is a real Envelope body',
  async () => {
    const requests = [...bodies].filter(([, b]) => b.section === 'request').map(([kind]) => kind);
    const responses = new Set([...bodies].filter(([, b]) => b.section === 'response').map(([kind]) => kind));
    const pushes = [...bodies].filter(([, b]) => b.section === 'push').map(([kind]) => kind);
    assert.ok(requests.length >= 27 && responses.size >= 19 && pushes.length >= 11, 'sections found in the oneof');
    assert.deepEqual([...sdk.REQUEST_KINDS], requests);
    assert.deepEqual([...sdk.PUSH_KINDS], pushes);
    // Each request is either answered (its answer a response body) or one-way; none is both or neither.
    assert.deepEqual([...Object.keys(sdk.ANSWER_KINDS), ...sdk.ONE_WAY_KINDS].sort(), [...requests].sort());
    for (const [request, answer] of Object.entries(sdk.ANSWER_KINDS)) {
      assert.ok(responses.has(answer), `${request} is answered by ${answer}, which is not a response body`);
    }
    // The declared answer types are the messages of those bodies.
    for (const { member, type } of interfaceMembers(await source('answers.ts'), 'Answers')) {
      assert.equal(type, bodies.get(sdk.ANSWER_KINDS[member]).message, `Answers.${member}`);
    }
    assert.deepEqual(Object.keys(sdk.PUSH_EVENTS).sort(), [...pushes].sort());
  });

test('every event the client declares carries the message its push (or answer) is made of', async () => {
  const byEvent = new Map(Object.entries(sdk.PUSH_EVENTS).map(([kind, event]) => [event, bodies.get(kind).message]));
  byEvent.set('matchmakerticket', bodies.get('matchmakerTicket').message);  // also pushed to party members
  byEvent.set('authenticated', 'Authenticated');
  byEvent.set('channelrejoined', bodies.get('channelJoined').message);
  byEvent.set('roomrejoined', bodies.get('roomJoined').message);
  byEvent.set('matchresumed', bodies.get('matchSnapshot').message);
  const messages = new Set(proto.messages.map((m) => m.fullName.replaceAll('.', '_')));
  const declared = interfaceMembers(await source('client.ts'), 'ClientEvents');
  for (const { member, type } of declared) {
    if (!byEvent.has(member)) continue;  // status, session, errors: the SDK's own types
    assert.ok(messages.has(type), `${member}: ${type} is not a message`);
    assert.equal(type, byEvent.get(member), `event ${member}`);
  }
  for (const event of byEvent.keys()) {
    assert.ok(declared.some((d) => d.member === event), `event ${event} is not declared in ClientEvents`);
  }
});

test('every body the SDK builds type-checks against the generated types (tsc --noEmit, strict)', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', root], { stdio: 'pipe' });
});

test('the build touches no browser global: it imports in Node and names no window, document or storage',
  async () => {
    assert.equal(typeof globalThis.window, 'undefined');
    assert.equal(typeof sdk.GuildhallClient, 'function');
    const built = await readFile(new URL('../dist/index.js', import.meta.url), 'utf8');
    for (const global of ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator']) {
      assert.doesNotMatch(built, new RegExp(`\\b${global}\\b`), `the build names ${global}`);
    }
  });
