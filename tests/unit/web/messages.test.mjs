// web/messages.js under Node's test runner: every failure the page can meet reads as a sentence, never as a raw
// code, and the connection line says what a close code means for the player.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// A browser file without a package.json that marks it ESM; it imports nothing, so load its text.
const source = await readFile(new URL('../../../web/messages.js', import.meta.url), 'utf8');
const { errorText, connectionText } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
const proto = await readFile(new URL('../../../src/wire/proto/guildhall/v1/guildhall.proto', import.meta.url), 'utf8');

const error = (code, message, fields = {}) => ({ code, message, ...fields });

/** What a player must never read: a SHOUTED_CODE, a bare number code, or a range written as "8..128". */
function assertReadable(text, what) {
  assert.doesNotMatch(text, /\b[A-Z]{2,}_[A-Z_]+\b/, `${what}: a raw code in "${text}"`);
  assert.doesNotMatch(text, /\.\.\d|\(\d{4}\)/, `${what}: jargon in "${text}"`);
  assert.match(text, /^[A-Z]/, `${what}: "${text}" does not start a sentence`);
  assert.match(text, /[.…]$/, `${what}: "${text}" does not end a sentence`);
}

test('the errors the first user met read as sentences', () => {
  assert.equal(errorText(error('INVALID_ARGUMENT', 'password must be 8..128 bytes')),
    'Passwords need 8 to 128 characters.');
  assert.equal(errorText(error('AUTH_FAILED', 'wrong username or password')), 'Wrong username or password.');
  assert.equal(errorText(error('USERNAME_TAKEN', 'username taken')), 'That username is taken. Please pick another one.');
  assert.equal(errorText(error('NOT_FOUND', "no user named 'zed'")), 'There is no player called zed.');
  assert.match(errorText(error('INVALID_ARGUMENT', 'username must be 3..32 characters of A-Z a-z 0-9 _ . -, starting with a letter')),
    /^Usernames are 3 to 32 letters/);
  assert.equal(errorText(error('INVALID_ARGUMENT', 'text must be 1..2000 bytes')),
    'Messages can be at most 2000 characters long.');
});

test('every ErrorCode of the protocol has a readable sentence, whatever the server said', () => {
  const codes = [...proto.matchAll(/^\s+([A-Z_]+) = \d+;/gm)].map((m) => m[1]);
  const errorCodes = codes.slice(codes.indexOf('ERROR_CODE_UNSPECIFIED') + 1,
    codes.findIndex((c, i) => i > codes.indexOf('ERROR_CODE_UNSPECIFIED') && c.endsWith('_UNSPECIFIED')));
  assert.ok(errorCodes.includes('NOT_PLAYER') && !errorCodes.includes('ERROR_CODE_UNSPECIFIED'), errorCodes.join());
  for (const code of errorCodes) {
    assertReadable(errorText(error(code, 'some terse reason')), code);
    assertReadable(errorText(error(code, '')), `${code} without a message`);
  }
});

test('the client\'s own codes and HTTP failures read as sentences too', () => {
  for (const code of ['DISCONNECTED', 'TIMEOUT', 'NETWORK', 'HTTP_404', 'HTTP_502', 'SOMETHING_NEW']) {
    assertReadable(errorText(error(code, code)), code);
  }
});

test('a busy server says when to retry', () => {
  assert.equal(errorText(error('UNAVAILABLE', 'queue full', { retryAfterMs: 2500 })),
    'The server is busy. Please try again in 3 s.');
  assert.equal(errorText(error('UNAVAILABLE', 'queue full')), 'The server is busy. Please try again in a moment.');
});

test('a rule the game enforces keeps its reason', () => {
  assert.equal(errorText(error('ILLEGAL_MOVE', 'cell 4 is taken')), 'That move is not allowed: cell 4 is taken.');
  assert.equal(errorText(error('INVALID_ARGUMENT', 'time control out of range: at most 1 day')),
    'Time control out of range: at most 1 day.');
});

test('the page\'s own messages and plain errors are shown as they are', () => {
  assert.equal(errorText(new Error('Enter a username and a password.')), 'Enter a username and a password.');
  assert.equal(errorText('Passwords differ.'), 'Passwords differ.');
});

test('a lost connection says what happened, not the close code', () => {
  assert.equal(connectionText({ state: 'reconnecting', code: 1006, delayMs: 1000 }), 'Connection lost — reconnecting…');
  assert.equal(connectionText({ state: 'reconnecting', delayMs: 1000 }), 'Connection lost — reconnecting…');
  assert.equal(connectionText({ state: 'reconnecting', code: 3001, reason: 'shutting down' }),
    'The server is restarting — reconnecting…');
  assert.equal(connectionText({ state: 'reconnecting', code: 3002 }), 'The server is busy — reconnecting…');
  assert.equal(connectionText({ state: 'online' }), 'Online');
  for (const code of [1000, 1001, 1006, 3001, 4001, 4002, 4003, 4004, 4005, 4006]) {
    assert.doesNotMatch(connectionText({ state: 'reconnecting', code }), /\d/);
  }
});
