// The chat tab: channels, history, live messages and presence, on top of guildhall.js. app.js signs in and
// hands over each new client with attachChat(); the chat then follows that client's events.

import { byId as el } from './dom.js';
import { showError } from './notices.js';

const HISTORY_PAGE = 50;
const NEAR_BOTTOM_PX = 40;  // a reader this close to the end keeps following new messages

const ui = {
  joinForm: el('join-form'), channelInput: el('channel-input'), channels: el('channels'),
  channelTitle: el('channel-title'), scroller: el('message-scroller'), loadOlder: el('load-older'),
  emptyHint: el('empty-hint'), messages: el('messages'), members: el('members'),
  sendForm: el('send-form'), messageInput: el('message-input'), send: el('send'),
};

/** What the page knows about one joined channel. Ids are the protocol's decimal strings. */
class Channel {
  constructor(name) {
    this.name = name;
    this.messages = new Map();  // messageId -> ChatMessage
    this.members = new Map();   // userId -> username
    this.nextBeforeId = null;   // cursor for "Load older"; null once the oldest page is in
    this.unread = 0;
  }
}

let client = null;
let me = null;                 // the Authenticated answer
const channels = new Map();    // name -> Channel, in join order
let current = null;            // the Channel on screen

/** Follows `next` (a started GuildhallClient) from now on; null forgets everything (signed out). */
export function attachChat(next) {
  client = next;
  me = null;
  channels.clear();
  current = null;
  renderAll();
  if (!next) return;
  next.addEventListener('authenticated', (e) => { if (client === next) onAuthenticated(e.detail); });
  next.addEventListener('chatmessage', (e) => { if (client === next) onChatMessage(e.detail); });
  next.addEventListener('presence', (e) => { if (client === next) onPresence(e.detail); });
}

export function focusChat() {
  (current ? ui.messageInput : ui.channelInput).focus();
}

// ---- channels -------------------------------------------------------------------------------------------------

// After a reconnect the server has forgotten our channels: join them again and reload what was missed.
function onAuthenticated(answer) {
  me = answer;
  const names = new Set([current?.name, ...channels.keys()].filter(Boolean));  // the one on screen first
  for (const name of names) joinChannel(name, { focus: false }).catch(showError);
}

// Answers can arrive after a logout; `owner` tells them apart from the current session's.
async function joinChannel(name, { focus }) {
  const owner = client;
  const joined = await owner.joinChannel(name);
  if (client !== owner) return;
  const channelName = joined.channel || name;
  let channel = channels.get(channelName);
  if (!channel) {
    channel = new Channel(channelName);
    channels.set(channelName, channel);
  }
  channel.members = new Map((joined.members ?? []).map((m) => [m.userId, m.username]));
  channel.messages.clear();
  channel.nextBeforeId = null;
  if (focus || !current) current = channel;
  renderAll();
  await loadHistory(channel, { older: false });
}

async function loadHistory(channel, { older }) {
  const owner = client;
  const page = await owner.channelHistory(channel.name, older ? channel.nextBeforeId : null, HISTORY_PAGE);
  if (client !== owner) return;
  for (const m of page.messages ?? []) channel.messages.set(m.messageId, m);
  const next = page.nextBeforeId;
  channel.nextBeforeId = next && next !== '0' ? next : null;
  if (channel === current) renderMessages(older ? 'keep-position' : 'bottom');
}

function switchTo(channel) {
  current = channel;
  channel.unread = 0;
  renderAll();
  ui.messageInput.focus();
}

function onChatMessage(message) {
  const channel = channels.get(message.channel);
  if (!channel) return;  // a direct message or a channel we left: this page shows neither
  channel.messages.set(message.messageId, message);
  if (channel === current) {
    renderMessages('follow');
  } else {
    channel.unread += 1;
    renderChannels();
  }
}

// A disconnected user is no longer in any channel (a new connection must join again), so OFFLINE removes them.
function applyPresence(channel, { kind, member }) {
  if (kind === 'JOINED' || kind === 'ONLINE') {
    channel.members.set(member.userId, member.username);
  } else if (kind === 'LEFT' || kind === 'OFFLINE') {
    channel.members.delete(member.userId);
  }
}

// ONLINE/OFFLINE may name no channel: they then concern every channel shared with that user.
function onPresence(event) {
  if (!event.member?.userId) return;
  const targets = event.channel
    ? [channels.get(event.channel)].filter(Boolean)
    : [...channels.values()].filter((c) => c.members.has(event.member.userId));
  for (const channel of targets) applyPresence(channel, event);
  if (targets.includes(current)) renderMembers();
}

async function sendCurrent() {
  const text = ui.messageInput.value;
  if (!current || !text.trim()) return;
  ui.messageInput.value = '';
  try {
    await client.sendMessage(current.name, text);
  } catch (err) {
    showError(err);
    if (!ui.messageInput.value) ui.messageInput.value = text;  // give the text back unless they typed anew
  }
}

// ---- rendering -------------------------------------------------------------------------------------------------

function byMessageId(a, b) {
  const x = BigInt(a.messageId);
  const y = BigInt(b.messageId);
  return x < y ? -1 : x > y ? 1 : 0;
}

function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function messageElement(message) {
  const item = document.createElement('li');
  item.className = 'message';
  item.dataset.id = message.messageId;
  if (me && message.fromUserId === me.userId) item.classList.add('own');
  const sentAt = Number(message.sentAtMs ?? 0);
  const time = document.createElement('time');
  time.dateTime = new Date(sentAt).toISOString();
  time.title = new Date(sentAt).toLocaleString();
  time.textContent = formatTime(sentAt);
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = message.fromUsername || `user ${message.fromUserId ?? '?'}`;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message.text ?? '';
  item.append(time, ' ', from, ': ', text);
  return item;
}

/** mode: 'bottom' jumps to the newest, 'follow' stays at the end only if the reader was there,
 *  'keep-position' holds the visible lines still while older ones are added above. */
function renderMessages(mode = 'bottom') {
  const { scroller } = ui;
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  const wasNearEnd = fromBottom - scroller.clientHeight < NEAR_BOTTOM_PX;
  const sorted = current ? [...current.messages.values()].sort(byMessageId) : [];
  ui.messages.replaceChildren(...sorted.map(messageElement));
  ui.loadOlder.hidden = !current?.nextBeforeId;
  ui.emptyHint.hidden = sorted.length > 0;
  ui.emptyHint.textContent = current ? 'No messages yet. Say hello!' : 'Join a channel to start chatting.';
  if (mode === 'keep-position') {
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  } else if (mode === 'bottom' || wasNearEnd) {
    scroller.scrollTop = scroller.scrollHeight;
  }
}

function renderMembers() {
  const members = current ? [...current.members.entries()] : [];
  members.sort(([, a], [, b]) => a.localeCompare(b));
  ui.members.replaceChildren(...members.map(([userId, username]) => {
    const item = document.createElement('li');
    item.className = 'member';
    item.classList.toggle('self', userId === me?.userId);
    item.dataset.userId = userId;
    item.textContent = username;
    return item;
  }));
}

function renderChannels() {
  ui.channels.replaceChildren(...[...channels.values()].map((channel) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'channel';
    button.dataset.channel = channel.name;
    button.textContent = `#${channel.name}`;
    if (channel === current) button.setAttribute('aria-current', 'true');
    if (channel.unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(channel.unread);
      button.append(badge);
    }
    button.addEventListener('click', () => switchTo(channel));
    const item = document.createElement('li');
    item.append(button);
    return item;
  }));
}

function renderAll() {
  ui.channelTitle.textContent = current ? `#${current.name}` : 'No channel';
  ui.messageInput.disabled = !current;
  ui.send.disabled = !current;
  renderChannels();
  renderMembers();
  renderMessages('bottom');
}

// ---- wiring ------------------------------------------------------------------------------------------------------

ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.channelInput.value.trim();
  if (!name || !client) return;
  const known = channels.get(name);
  if (known && client.online) {
    switchTo(known);
    return;
  }
  joinChannel(name, { focus: true }).then(() => ui.messageInput.focus(), showError);
});

ui.sendForm.addEventListener('submit', (e) => {
  e.preventDefault();
  sendCurrent();
});

ui.loadOlder.addEventListener('click', async () => {
  if (!current?.nextBeforeId) return;
  ui.loadOlder.disabled = true;
  try {
    await loadHistory(current, { older: true });
  } catch (err) {
    showError(err);
  } finally {
    ui.loadOlder.disabled = false;
  }
});

renderAll();
