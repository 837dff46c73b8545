// What the page says to a person when something fails: one sentence for each ErrorCode (docs/protocol.md), for
// the client's own codes (DISCONNECTED, TIMEOUT, NETWORK, HTTP_nnn) and for the close codes behind a lost
// connection. The codes themselves go to the console for whoever debugs. Pure, no DOM, so it runs under Node's
// test runner (tests/unit/web/messages.test.mjs).

/** Sentences for codes whose server message adds nothing a player needs. */
const FIXED = {
  AUTH_FAILED: 'Your sign-in is no longer valid. Please sign in again.',
  TOKEN_EXPIRED: 'Your session has expired. Please sign in again.',
  USERNAME_TAKEN: 'That username is taken. Please pick another one.',
  RATE_LIMITED: 'You are going a bit fast. Wait a moment, then try again.',
  NOT_MEMBER: 'Join the channel first.',
  NOT_YOUR_TURN: 'It is not your turn, or the position has just changed.',
  MATCH_CLOSED: 'That match is not open any more: it is full, finished or cancelled.',
  NOT_PLAYER: 'Only the players of this match can do that.',
  ALREADY_QUEUED: 'You, or someone in your party, are already looking for a match.',
  NOT_ONLINE: 'Everyone in your party must be online to look for a match.',
  ROOM_FULL: 'That room is full, locked or private.',
  ROOM_NOT_FOUND: 'That room is not open any more.',
  FRAME_TOO_LARGE: 'That is too long to send.',
  INTERNAL: 'Something went wrong on the server. Please try again.',
  DISCONNECTED: 'You are not connected right now. Try again once the page is back online.',
  TIMEOUT: 'The server took too long to answer. Reconnecting…',
  NETWORK: 'Cannot reach the server. Check your connection and try again.',
  // These mean the page and the server disagree about the protocol: a stale page after an upgrade, say.
  BAD_FRAME: 'The page and the server do not understand each other. Please reload the page.',
  UNKNOWN_REQUEST: 'The page and the server do not understand each other. Please reload the page.',
  UNAUTHENTICATED: 'The page and the server do not understand each other. Please reload the page.',
  ALREADY_AUTHENTICATED: 'The page and the server do not understand each other. Please reload the page.',
  INVALID_UTF8: 'That text could not be sent. Please remove unusual characters and try again.',
};

/**
 * Sentences for INVALID_ARGUMENT and NOT_FOUND, chosen by the server's message (which is for humans, but
 * terse). `match` is tried in order; the first that fits builds the sentence from its capture groups.
 */
const BY_MESSAGE = [
  [/wrong username or password/, () => 'Wrong username or password.'],
  [/^password must be (\d+)\.\.(\d+)/, (min, max) => `Passwords need ${min} to ${max} characters.`],
  [/^username must be (\d+)\.\.(\d+)/, (min, max) =>
    `Usernames are ${min} to ${max} letters, digits, dots, dashes or underscores, starting with a letter.`],
  [/^channel name must be (\d+)\.\.(\d+)/, (min, max) =>
    `Channel names are ${min} to ${max} letters, digits, dots, dashes or underscores.`],
  [/^text must be 1\.\.(\d+)/, (max) => `Messages can be at most ${max} characters long.`],
  [/^no user named '(.*)'$/, (name) => `There is no player called ${name}.`],
];

/** "retry after" in whole seconds, at least 1. */
function seconds(ms) {
  return Math.max(1, Math.ceil(Number(ms) / 1000));
}

/** The server's own words made into a sentence: "time control out of range" -> "Time control out of range." */
function asSentence(message) {
  const text = String(message ?? '').trim();
  if (!text) return 'Something went wrong. Please try again.';
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The sentence to show for `err`: a GuildhallError (`code`, `message`, maybe `retryAfterMs`), or any Error or
 * string, whose message is shown as it is (the page's own messages are sentences already).
 */
export function errorText(err) {
  const code = err?.code;
  const message = String(err?.message ?? err ?? '');
  if (!code) return message;
  for (const [pattern, sentence] of BY_MESSAGE) {
    const found = pattern.exec(message);
    if (found) return sentence(...found.slice(1));
  }
  if (code === 'UNAVAILABLE') {
    const wait = err.retryAfterMs ? `in ${seconds(err.retryAfterMs)} s` : 'in a moment';
    return `The server is busy. Please try again ${wait}.`;
  }
  if (code === 'ILLEGAL_MOVE') return `That move is not allowed: ${message.replace(/[.]$/, '')}.`;
  if (FIXED[code]) return FIXED[code];
  if (/^HTTP_5\d\d$/.test(code)) return 'The server is having trouble. Please try again shortly.';
  return asSentence(message === code ? '' : message);
}

/** Close codes (src/wire/close_code.hpp, and RFC 6455's) that say more than "the connection was lost". */
const CLOSE_REASONS = {
  3001: 'The server is restarting',
  4001: 'Disconnected after a long silence',
  4005: 'Disconnected for sending too fast',
  4006: 'The connection was too slow to keep up',
};

/**
 * The connection status line for a GuildhallClient `status` event detail {state, delayMs, code, reason}.
 */
export function connectionText({ state, code }) {
  switch (state) {
    case 'connecting': return 'Connecting…';
    case 'online': return 'Online';
    case 'offline': return 'Not connected';
    case 'reconnecting': {
      const why = CLOSE_REASONS[code] ?? (code >= 3000 && code < 4000 ? 'The server is busy' : 'Connection lost');
      return `${why} — reconnecting…`;
    }
    default: return String(state);
  }
}

/** The codes behind what the page shows, for whoever opens the console. */
export function logError(err) {
  if (err?.code) console.warn(`guildhall: ${err.code}: ${err.message ?? ''}`);
  else console.warn('guildhall:', err);
}

export function logStatus({ state, code, reason, delayMs }) {
  if (state === 'reconnecting') console.info(`guildhall: closed (${code ?? '?'} ${reason ?? ''}); retry in ${delayMs} ms`);
}
