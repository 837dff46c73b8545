// The page: signing in and out, the connection status, and the tabs — Chat (chat.js), Play (play.js) and Arena
// (arena.js) — which share one GuildhallClient (the SDK, sdk/js, built into vendor/guildhall-client.js). All
// user-supplied text reaches the DOM through textContent, never as markup.

import { Arena } from './arena.js';
import { GuildhallClient, makeAuthApi, socketUrlFor } from './vendor/guildhall-client.js';
import { attachChat, setChatVisible } from './chat.js';
import { byId as el } from './dom.js';
import { connectionText, logStatus } from './messages.js';
import { clearError, showError } from './notices.js';
import { Play } from './play.js';
import { SessionKeeper } from './session_keeper.js';

const DEVICE_ID_KEY = 'guildhall.deviceId';

const auth = makeAuthApi(location.href);
const keeper = new SessionKeeper(auth);
const ui = {
  status: el('status'), whoami: el('whoami'), logout: el('logout'), tabs: el('tabs'),
  loginView: el('login-view'), loginForm: el('login-form'), username: el('username'), password: el('password'),
  loginButtons: [el('login'), el('register'), el('guest')],
  views: { chat: el('chat-view'), play: el('play-view'), arena: el('arena-view') },
};

const play = new Play();
const arena = new Arena();
let client = null;
let userId = null;  // of the session signed in on this page
let tab = 'chat';

// ---- status and tabs -------------------------------------------------------------------------------------------

// The close code stays in the console and in data-close-code; the line says what it means for the player.
function showStatus(detail) {
  logStatus(detail);
  ui.status.textContent = connectionText(detail);
  ui.status.dataset.state = detail.state;
  if (detail.code) ui.status.dataset.closeCode = String(detail.code);
  else delete ui.status.dataset.closeCode;
}

function showTab(name) {
  tab = name;
  const signedIn = client !== null;
  for (const [view, element] of Object.entries(ui.views)) element.hidden = !signedIn || view !== name;
  for (const button of ui.tabs.querySelectorAll('[data-tab]')) {
    button.setAttribute('aria-selected', String(button.dataset.tab === name));
  }
  play.setVisible(signedIn && name === 'play');
  arena.setVisible(signedIn && name === 'arena');
  setChatVisible(signedIn && name === 'chat');
}

// ---- signing in ---------------------------------------------------------------------------------------------

function deviceId() {
  const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    let id = localStorage.getItem(DEVICE_ID_KEY);
    if (!id) {
      id = fresh();
      localStorage.setItem(DEVICE_ID_KEY, id);
    }
    return id;
  } catch {
    return fresh();  // storage disabled: a guest for this page only
  }
}

function credentials() {
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) throw new Error('Enter a username and a password.');
  return [username, password];
}

async function signIn(getSession) {
  clearError();
  ui.loginButtons.forEach((b) => { b.disabled = true; });
  try {
    start(await getSession());
  } catch (err) {
    showError(err);
  } finally {
    ui.loginButtons.forEach((b) => { b.disabled = false; });
  }
}

// A reload resumes the stored session; the login form stays out of sight while that is tried.
async function resume() {
  if (!keeper.stored) return;
  ui.loginView.hidden = true;
  ui.status.textContent = 'Signing in…';
  ui.status.dataset.state = 'connecting';
  try {
    const session = await keeper.resume();
    if (session) {
      start(session);
      return;
    }
  } catch (err) {
    showError(err);
  }
  if (!client) {
    showStatus({ state: 'offline' });
    ui.loginView.hidden = false;
  }
}

function start(session) {
  keeper.remember(session);
  userId = session.user_id;
  ui.password.value = '';
  ui.whoami.textContent = session.username;
  ui.loginView.hidden = true;
  ui.logout.hidden = false;
  ui.tabs.hidden = false;
  // The client refreshes an expired access token through the keeper, which owns the rotating refresh token.
  const clientAuth = { refresh: (held, owner) => keeper.refresh(held, owner) };
  // Chat channels are resumed by the SDK (chat.js listens to 'channelrejoined'); the Play and Arena tabs follow
  // the match and the room they show themselves, from where the screen stands, so the SDK leaves those alone.
  client = new GuildhallClient({
    session, url: socketUrlFor(location.href), auth: clientAuth, resumeRoom: false, resumeMatches: false,
  });
  client.addEventListener('status', (e) => showStatus(e.detail));
  client.addEventListener('sessionended', (e) => {
    keeper.forget();
    signOut();
    showError(e.detail);
  });
  client.addEventListener('pusherror', (e) => showError(e.detail));
  attachChat(client);
  play.attach(client);
  arena.attach(client);
  client.start();
  showTab(tab);
}

function signOut() {
  client?.stop();
  client = null;
  userId = null;
  attachChat(null);
  play.attach(null);
  arena.attach(null);
  ui.whoami.textContent = '';
  ui.logout.hidden = true;
  ui.tabs.hidden = true;
  ui.loginView.hidden = false;
  showTab(tab);
  ui.username.focus();
}

// ---- wiring ------------------------------------------------------------------------------------------------------

ui.loginForm.addEventListener('submit', (e) => {
  e.preventDefault();
  signIn(() => auth.login(...credentials()));
});
el('register').addEventListener('click', () => signIn(() => auth.register(...credentials())));
el('guest').addEventListener('click', () => signIn(() => auth.guest(deviceId())));
// Logging out in one tab logs out the others of this browser that share the session.
keeper.watch((gone) => {
  if (client && gone === userId) signOut();
});
ui.logout.addEventListener('click', () => {
  keeper.logout();  // forgets at once; the server's answer does not matter to the page
  signOut();
});
for (const button of ui.tabs.querySelectorAll('[data-tab]')) {
  button.addEventListener('click', () => showTab(button.dataset.tab));
}

resume();
