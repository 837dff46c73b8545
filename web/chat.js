// The chat tab: channels and direct conversations, their history, live messages and presence, on top of
// the SDK's GuildhallClient. app.js signs in and hands over each new client with attachChat(), and says with
// setChatVisible() whether the tab is on screen: a line that arrives while it is not counts as unread.
// What one conversation holds and how its lines are laid out is conversation.js.

import { byId as el, make } from './dom.js';
import { showError } from './notices.js';
import { CHANNEL, DIRECT, Conversation, conversationKey, conversationOf, timeline } from './conversation.js';

const HISTORY_PAGE = 50;
const NEAR_BOTTOM_PX = 40;          // a reader this close to the end keeps following new messages
const MAX_REMEMBERED_DIRECTS = 50;  // direct conversations listed again after a reload, most recent first
const DIRECTS_KEY_PREFIX = 'guildhall.directs.';

const ui = {
  joinForm: el('join-form'), channelInput: el('channel-input'), channels: el('channels'),
  directForm: el('direct-form'), directInput: el('direct-input'), directs: el('directs'),
  channelTitle: el('channel-title'), scroller: el('message-scroller'), loadOlder: el('load-older'),
  emptyHint: el('empty-hint'), messages: el('messages'), members: el('members'),
  sendForm: el('send-form'), messageInput: el('message-input'), send: el('send'), tabBadge: el('chat-unread'),
};

let client = null;
let me = null;                     // the Authenticated answer
const conversations = new Map();   // conversationKey -> Conversation, in the order they were opened
let current = null;                // the Conversation on screen
let visible = false;               // whether the chat tab is on screen

/** Follows `next` (a started GuildhallClient) from now on; null forgets everything (signed out). */
export function attachChat(next) {
  client = next;
  me = null;
  conversations.clear();
  current = null;
  renderAll();
  if (!next) return;
  next.addEventListener('authenticated', (e) => { if (client === next) onAuthenticated(e.detail); });
  next.addEventListener('channelrejoined', (e) => { if (client === next) onRejoined(e.detail).catch(showError); });
  next.addEventListener('chatmessage', (e) => { if (client === next) onChatMessage(e.detail); });
  next.addEventListener('presence', (e) => { if (client === next) onPresence(e.detail); });
}

/** Whether the chat tab is on screen; showing it marks the conversation on screen read. */
export function setChatVisible(shown) {
  visible = shown;
  if (!shown) return;
  if (current) current.unread = 0;
  renderLists();
  renderMessages('follow');  // lines that came for the conversation on screen while the tab was hidden
  (current ? ui.messageInput : ui.channelInput).focus();
}

// ---- conversations -------------------------------------------------------------------------------------------

// After a reconnect the SDK joins our channels again ('channelrejoined', below); direct conversations need only
// what was missed.
function onAuthenticated(answer) {
  const first = me === null;
  me = answer;
  if (first) {
    for (const name of rememberedDirects()) conversationFor(DIRECT, name);
    renderLists();
  }
  if (current?.kind === DIRECT) reload(current).catch(showError);
}

/** A channel the SDK joined again after a reconnect: its members now, and the lines missed meanwhile. */
async function onRejoined(joined) {
  const channel = conversationFor(CHANNEL, joined.channel);
  channel.members = new Map((joined.members ?? []).map((m) => [m.userId, m.username]));
  if (!current) current = channel;
  await reload(channel);
}

function conversationFor(kind, name) {
  const key = conversationKey(kind, name);
  let conversation = conversations.get(key);
  if (!conversation) {
    conversation = new Conversation(kind, name);
    conversations.set(key, conversation);
  }
  return conversation;
}

// Answers can arrive after a logout; `owner` tells them apart from the current session's.
async function joinChannel(name, { focus }) {
  const owner = client;
  const joined = await owner.joinChannel(name);
  if (client !== owner) return;
  const channel = conversationFor(CHANNEL, joined.channel || name);
  channel.members = new Map((joined.members ?? []).map((m) => [m.userId, m.username]));
  if (focus || !current) current = channel;
  await reload(channel);
}

/** Opens the conversation with `username`; an unknown name is dropped again with the server's NOT_FOUND. */
async function openDirect(username) {
  const conversation = conversationFor(DIRECT, username);
  current = conversation;
  conversation.unread = 0;
  try {
    await reload(conversation);
  } catch (err) {
    if (err.code === 'NOT_FOUND' && conversation.messages.size === 0) {
      conversations.delete(conversation.key);
      if (current === conversation) current = null;
      renderAll();
    }
    throw err;
  }
  rememberDirect(conversation.name);
}

/** Loads the newest page again: on opening, and after a reconnect, which may have missed lines. */
async function reload(conversation) {
  renderAll();
  await loadHistory(conversation, { older: false });
}

async function loadHistory(conversation, { older }) {
  const owner = client;
  const before = older ? conversation.nextBeforeId : null;
  const page = conversation.kind === DIRECT
    ? await owner.directHistory(conversation.name, before, HISTORY_PAGE)
    : await owner.channelHistory(conversation.name, before, HISTORY_PAGE);
  if (client !== owner) return;
  conversation.addHistory(page, { older });
  if (conversation === current) renderMessages(older ? 'keep-position' : 'bottom');
}

function switchTo(conversation) {
  current = conversation;
  conversation.unread = 0;
  renderAll();
  ui.messageInput.focus();
  // A direct conversation listed from memory or opened by a push has no history yet.
  if (!conversation.loaded) reload(conversation).catch(showError);
}

function onChatMessage(message) {
  const { kind, name } = conversationOf(message, me?.userId);
  if (!name) return;
  // A channel we left shows nothing; a direct message opens its conversation if it is not listed yet.
  if (kind === CHANNEL && !conversations.has(conversationKey(kind, name))) return;
  const conversation = conversationFor(kind, name);
  if (kind === DIRECT) {
    conversation.name = name;  // as the server spells it
    rememberDirect(name);
  }
  conversation.messages.set(message.messageId, message);
  if (conversation === current && visible) {
    renderMessages('follow');
  } else if (message.fromUserId !== me?.userId) {
    conversation.unread += 1;
  }
  renderLists();
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
  const channels = [...conversations.values()].filter((c) => c.kind === CHANNEL);
  const targets = event.channel
    ? channels.filter((c) => c.name === event.channel)
    : channels.filter((c) => c.members.has(event.member.userId));
  for (const channel of targets) applyPresence(channel, event);
  if (targets.includes(current)) renderMembers();
}

async function sendCurrent() {
  const text = ui.messageInput.value;
  const target = current;
  if (!target || !text.trim()) return;
  ui.messageInput.value = '';
  try {
    if (target.kind === DIRECT) await client.sendDirect(target.name, text);
    else await client.sendMessage(target.name, text);
  } catch (err) {
    showError(err);
    if (!ui.messageInput.value) ui.messageInput.value = text;  // give the text back unless they typed anew
  }
}

// ---- remembered direct conversations (per user, in this browser) ---------------------------------------------

function directsKey() {
  return `${DIRECTS_KEY_PREFIX}${me?.userId ?? '0'}`;
}

function rememberedDirects() {
  try {
    const names = JSON.parse(localStorage.getItem(directsKey()) ?? '[]');
    return Array.isArray(names) ? names.filter((n) => typeof n === 'string' && n) : [];
  } catch {
    return [];  // storage disabled or garbled: start with an empty list
  }
}

function rememberDirect(name) {
  const others = rememberedDirects().filter((n) => n.toLowerCase() !== name.toLowerCase());
  try {
    localStorage.setItem(directsKey(), JSON.stringify([name, ...others].slice(0, MAX_REMEMBERED_DIRECTS)));
  } catch {
    // Storage disabled: the list lasts as long as the page.
  }
}

// ---- rendering -------------------------------------------------------------------------------------------------

function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function messageElement(message) {
  const sentAt = Number(message.sentAtMs ?? 0);
  const item = make('li', { className: 'message', dataset: { id: message.messageId } },
    make('time', { dateTime: new Date(sentAt).toISOString(), title: new Date(sentAt).toLocaleString(),
      textContent: formatTime(sentAt) }),
    ' ',
    make('span', { className: 'from', textContent: message.fromUsername || `user ${message.fromUserId ?? '?'}` }),
    ': ',
    make('span', { className: 'text', textContent: message.text ?? '' }));
  if (me && message.fromUserId === me.userId) item.classList.add('own');
  return item;
}

function timelineElement(item) {
  if (item.type === 'message') return messageElement(item.message);
  if (item.type === 'day') return make('li', { className: 'day-mark', textContent: item.label });
  return make('li', { className: 'live-mark', dataset: { testid: 'live-mark' }, textContent: 'New since you opened' });
}

/** mode: 'bottom' jumps to the newest, 'follow' stays at the end only if the reader was there,
 *  'keep-position' holds the visible lines still while older ones are added above. */
function renderMessages(mode = 'bottom') {
  const { scroller } = ui;
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  const wasNearEnd = fromBottom - scroller.clientHeight < NEAR_BOTTOM_PX;
  const items = current ? timeline(current) : [];
  ui.messages.replaceChildren(...items.map(timelineElement));
  ui.loadOlder.hidden = !current?.nextBeforeId;
  ui.emptyHint.hidden = items.length > 0;
  ui.emptyHint.textContent = current ? 'No messages yet. Say hello!' : 'Join a channel to start chatting.';
  if (mode === 'keep-position') {
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  } else if (mode === 'bottom' || wasNearEnd) {
    scroller.scrollTop = scroller.scrollHeight;
  }
}

function renderMembers() {
  if (current?.kind === DIRECT) {
    ui.members.replaceChildren(make('li', { className: 'hint', textContent: `Only you and ${current.name} see this.` }));
    return;
  }
  const members = current ? [...current.members.entries()] : [];
  members.sort(([, a], [, b]) => a.localeCompare(b));
  ui.members.replaceChildren(...members.map(([userId, username]) => {
    const item = make('li', { className: 'member', textContent: username, dataset: { userId } });
    item.classList.toggle('self', userId === me?.userId);
    return item;
  }));
}

function conversationButton(conversation) {
  const isDirect = conversation.kind === DIRECT;
  const button = make('button', {
    type: 'button', className: 'channel', textContent: conversation.title,
    dataset: isDirect ? { direct: conversation.name.toLowerCase() } : { channel: conversation.name },
    on: { click: () => switchTo(conversation) },
  });
  if (conversation === current) button.setAttribute('aria-current', 'true');
  if (conversation.unread > 0) {
    button.dataset.unread = String(conversation.unread);
    button.append(make('span', { className: 'badge', textContent: String(conversation.unread) }));
  }
  return make('li', {}, button);
}

function renderLists() {
  const all = [...conversations.values()];
  ui.channels.replaceChildren(...all.filter((c) => c.kind === CHANNEL).map(conversationButton));
  ui.directs.replaceChildren(...all.filter((c) => c.kind === DIRECT).map(conversationButton));
  // The tab counts direct messages only: channel chatter would keep it lit all the time.
  const unreadDirect = all.reduce((sum, c) => sum + (c.kind === DIRECT ? c.unread : 0), 0);
  ui.tabBadge.textContent = String(unreadDirect);
  ui.tabBadge.hidden = unreadDirect === 0;
}

function renderAll() {
  ui.channelTitle.textContent = current ? current.title : 'No conversation';
  ui.messageInput.disabled = !current;
  ui.send.disabled = !current;
  renderLists();
  renderMembers();
  renderMessages('bottom');
}

// ---- wiring ------------------------------------------------------------------------------------------------------

ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.channelInput.value.trim();
  if (!name || !client) return;
  const known = conversations.get(conversationKey(CHANNEL, name));
  if (known && client.online) {
    switchTo(known);
    return;
  }
  joinChannel(name, { focus: true }).then(() => ui.messageInput.focus(), showError);
});

ui.directForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.directInput.value.trim();
  if (!name || !client) return;
  ui.directInput.value = '';
  openDirect(name).then(() => ui.messageInput.focus(), showError);
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
