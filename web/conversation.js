// What the chat tab knows about one conversation — a channel or a direct conversation with one person — and how
// its lines are laid out: day headings, and a separator where the history loaded at join ends and live
// messages begin. Pure data, no DOM, so it runs under Node's test runner (tests/unit/web/conversation.test.mjs).
// Ids are the protocol's decimal strings.

export const CHANNEL = 'channel';
export const DIRECT = 'direct';

/** Usernames are unique ignoring case (docs/protocol.md), so a direct conversation is keyed case-blind. */
export function conversationKey(kind, name) {
  return kind === DIRECT ? `@${name.toLowerCase()}` : `#${name}`;
}

/**
 * Which conversation a ChatMessage belongs to for the user `myUserId`: its channel, or for a direct message the
 * other person (yourself for a note to self). Fields at their default value are absent in the JSON mapping.
 */
export function conversationOf(message, myUserId) {
  if (message.channel) return { kind: CHANNEL, name: message.channel };
  const fromMe = (message.fromUserId ?? '0') === myUserId;
  return { kind: DIRECT, name: (fromMe ? message.toUsername : message.fromUsername) ?? '' };
}

export class Conversation {
  constructor(kind, name) {
    this.kind = kind;
    this.name = name;           // a channel name, or the other person's username as the server spells it
    this.key = conversationKey(kind, name);
    this.messages = new Map();  // messageId -> ChatMessage
    this.members = new Map();   // userId -> username (channels only)
    this.nextBeforeId = null;   // cursor for "Load older"; null once the oldest page is in
    this.historyUntilId = null; // the newest message of the history loaded at join: live ones come after it
    this.loaded = false;        // whether the newest page of history is in
    this.unread = 0;
  }

  get title() {
    return this.kind === DIRECT ? `@${this.name}` : `#${this.name}`;
  }

  /**
   * Adds a page of history. An older page (from "Load older") goes above what is there. The newest page (on
   * opening, and after a reconnect, which may have missed lines) replaces the lines, except those newer than
   * the page, which were pushed while it was on its way; it also marks where live messages begin.
   */
  addHistory(page, { older }) {
    const lines = page.messages ?? [];
    const next = page.nextBeforeId;
    if (older) {
      for (const m of lines) this.messages.set(m.messageId, m);
      this.nextBeforeId = next && next !== '0' ? next : null;
      return;
    }
    const newest = lines.reduce((top, m) => maxId(top, m.messageId), null);
    const pushedSince = [...this.messages.values()]
      .filter((m) => newest === null || compareIds(m.messageId, newest) > 0);
    this.messages = new Map([...lines, ...pushedSince].map((m) => [m.messageId, m]));
    this.nextBeforeId = next && next !== '0' ? next : null;
    this.historyUntilId = newest;
    this.loaded = true;
  }
}

function compareIds(a, b) {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function maxId(a, b) {
  if (a === null) return b;
  return compareIds(a, b) >= 0 ? a : b;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar day of `ms`, as a value that two instants of the same day share. */
function dayOf(ms) {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "Today", "Yesterday", or a date such as "Mon, 30 Nov 2026" (in the reader's locale). */
export function dayLabel(ms, nowMs = Date.now(), locales = undefined) {
  const day = dayOf(ms);
  const today = dayOf(nowMs);
  if (day === today) return 'Today';
  // Subtracting a day from local midnight can land on 23:00 across a DST change; dayOf() rounds that back.
  if (day === dayOf(today - DAY_MS / 2)) return 'Yesterday';
  return new Date(ms).toLocaleDateString(locales, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/**
 * The conversation's lines in order, with what goes between them:
 *   {type: 'day', label}        before the first line of each calendar day
 *   {type: 'live'}              once, after the history loaded at join, when live messages follow it
 *   {type: 'message', message}
 */
export function timeline(conversation, nowMs = Date.now()) {
  const sorted = [...conversation.messages.values()].sort((a, b) => compareIds(a.messageId, b.messageId));
  const until = conversation.historyUntilId;
  const items = [];
  let lastDay = null;
  let inHistory = until !== null;
  for (const message of sorted) {
    if (inHistory && compareIds(message.messageId, until) > 0) {
      items.push({ type: 'live' });
      inHistory = false;
    }
    const sentAt = Number(message.sentAtMs ?? 0);
    const day = dayOf(sentAt);
    if (day !== lastDay) {
      items.push({ type: 'day', label: dayLabel(sentAt, nowMs) });
      lastDay = day;
    }
    items.push({ type: 'message', message });
  }
  return items;
}
