// web/conversation.js under Node's test runner: which conversation a pushed ChatMessage belongs to, and how a
// conversation's lines are laid out (day headings, the mark between history and live messages). Messages are
// shaped as the server sends them: fields at their default value are absent, 64-bit numbers are strings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// A browser file without a package.json that marks it ESM; it imports nothing, so load its text.
const source = await readFile(new URL('../../../web/conversation.js', import.meta.url), 'utf8');
const {
  CHANNEL, DIRECT, Conversation, conversationKey, conversationOf, dayLabel, timeline,
} = await import(`data:text/javascript,${encodeURIComponent(source)}`);

const ME = '7';
const noon = (day) => new Date(2026, 10, day, 12, 0).getTime();

function line(id, sentAtMs, fields = {}) {
  return { messageId: String(id), fromUserId: '9', fromUsername: 'bob', text: `line ${id}`, sentAtMs: String(sentAtMs),
    ...fields };
}

test('a channel message belongs to its channel', () => {
  assert.deepEqual(conversationOf(line(1, 0, { channel: 'lobby' }), ME), { kind: CHANNEL, name: 'lobby' });
});

test('a direct message belongs to the other person, whoever sent it', () => {
  const incoming = line(1, 0, { toUsername: 'ada' });
  assert.deepEqual(conversationOf(incoming, ME), { kind: DIRECT, name: 'bob' });
  const outgoing = line(2, 0, { fromUserId: ME, fromUsername: 'ada', toUsername: 'Bob' });
  assert.deepEqual(conversationOf(outgoing, ME), { kind: DIRECT, name: 'Bob' });
  const noteToSelf = line(3, 0, { fromUserId: ME, fromUsername: 'ada', toUsername: 'ada' });
  assert.deepEqual(conversationOf(noteToSelf, ME), { kind: DIRECT, name: 'ada' });
});

test('direct conversations are keyed ignoring case, channels are not', () => {
  assert.equal(conversationKey(DIRECT, 'Bob'), conversationKey(DIRECT, 'bOB'));
  assert.notEqual(conversationKey(CHANNEL, 'Lobby'), conversationKey(CHANNEL, 'lobby'));
  assert.notEqual(conversationKey(CHANNEL, 'bob'), conversationKey(DIRECT, 'bob'));
  assert.equal(new Conversation(DIRECT, 'bob').title, '@bob');
  assert.equal(new Conversation(CHANNEL, 'lobby').title, '#lobby');
});

test('the live mark sits between the history loaded at join and the messages after it', () => {
  const conversation = new Conversation(CHANNEL, 'lobby');
  // History comes newest first; ids beyond 2^53 must still compare exactly.
  conversation.addHistory({ messages: [line('9007199254740993', noon(30)), line('9007199254740992', noon(30))] },
    { older: false });
  assert.equal(conversation.loaded, true);
  conversation.messages.set('9007199254740994', line('9007199254740994', noon(30)));
  const kinds = timeline(conversation, noon(30)).map((item) => item.type);
  assert.deepEqual(kinds, ['day', 'message', 'message', 'live', 'message']);
});

test('no live mark without history, nor without live messages; older pages do not move it', () => {
  const fresh = new Conversation(DIRECT, 'bob');
  fresh.addHistory({}, { older: false });
  fresh.messages.set('5', line(5, noon(30)));
  assert.deepEqual(timeline(fresh, noon(30)).map((i) => i.type), ['day', 'message']);

  const quiet = new Conversation(DIRECT, 'bob');
  quiet.addHistory({ messages: [line(4, noon(30))], nextBeforeId: '4' }, { older: false });
  assert.equal(quiet.nextBeforeId, '4');
  quiet.addHistory({ messages: [line(2, noon(30))] }, { older: true });
  assert.equal(quiet.nextBeforeId, null);
  assert.deepEqual(timeline(quiet, noon(30)).map((i) => i.type), ['day', 'message', 'message']);
  assert.equal(quiet.historyUntilId, '4');
});

test('a heading opens each day: Today, Yesterday, then dates', () => {
  const conversation = new Conversation(CHANNEL, 'lobby');
  conversation.addHistory({ messages: [line(3, noon(30)), line(2, noon(29)), line(1, noon(20))] }, { older: false });
  const labels = timeline(conversation, noon(30)).filter((i) => i.type === 'day').map((i) => i.label);
  assert.deepEqual(labels, [dayLabel(noon(20), noon(30)), 'Yesterday', 'Today']);
  assert.match(labels[0], /20/);
});

test('a newest page replaces the lines, but keeps those pushed while it was on its way', () => {
  const conversation = new Conversation(CHANNEL, 'lobby');
  conversation.addHistory({ messages: [line(3, noon(30)), line(1, noon(30))], nextBeforeId: '1' }, { older: false });
  conversation.messages.set('4', line(4, noon(30)));
  // A reconnect: the page now holds 2 (missed while away) and 5; 6 was pushed before the page came back.
  conversation.messages.set('6', line(6, noon(30)));
  conversation.addHistory({ messages: [line(5, noon(30)), line(4, noon(30)), line(2, noon(30))] }, { older: false });
  assert.deepEqual([...conversation.messages.keys()].sort(), ['2', '4', '5', '6']);
  assert.equal(conversation.historyUntilId, '5');
  assert.equal(conversation.nextBeforeId, null);
  assert.deepEqual(timeline(conversation, noon(30)).map((i) => i.type),
    ['day', 'message', 'message', 'message', 'live', 'message']);
});
