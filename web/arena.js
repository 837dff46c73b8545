// The Arena tab: a lobby (play against bots, quick join, the matchmaker, the open arenas) and the game itself, a
// canvas over the page's one WebSocket. The network model (snapshots, prediction, interpolation, inputs) is the
// SDK's ArenaNet (sdk/js/src/arena_net.ts); drawing is arena_draw.js; this module owns the DOM, the keyboard and
// mouse, and the room's life: join, rejoin after a reconnect, leave, results.

import { ArenaNet, BUTTONS } from './vendor/guildhall-client.js';
import { isStickTouch, stickButtons } from './arena_touch.js';
import { drawArena, fitCanvas, SEAT_COLOURS, toCanvas } from './arena_draw.js';
import { byId as el, make } from './dom.js';
import { showError } from './notices.js';

const ROOM_TYPE = 'arena';
const PING_INTERVAL_MS = 1_000;     // the ping display; one small request a second
const SCOREBOARD_INTERVAL_MS = 250; // the DOM around the canvas changes this often at most
const FEED_SHOWN_MS = 6_000;
const MAX_FEED = 5;
const MATCH_SIZE = { minCount: 2, maxCount: 8 };  // a match of two forms after the matchmaker's fill wait
const KEYS = {
  KeyW: BUTTONS.up, ArrowUp: BUTTONS.up, KeyS: BUTTONS.down, ArrowDown: BUTTONS.down,
  KeyA: BUTTONS.left, ArrowLeft: BUTTONS.left, KeyD: BUTTONS.right, ArrowRight: BUTTONS.right, Space: BUTTONS.fire,
};
const STATE_WAITING = 0;
const STATE_OVER = 2;

const now = () => performance.now();

function formatClock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function parseJson(text) {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

// Through the CSSOM, which the page's Content-Security-Policy allows (a style attribute in markup it would not).
function tinted(node, property, seat) {
  node.style.setProperty(property, SEAT_COLOURS[Number(seat) % SEAT_COLOURS.length]);
  return node;
}

export class Arena {
  #client = null;
  #net = null;                 // the room we are in
  #names = new Map();          // seat -> name (members, kill events, results)
  #scores = new Map();         // seat -> {kills, deaths, bot}: last seen, as snapshots only hold what is in view
  #held = 0;                   // buttons held on the keyboard
  #pointerFire = null;         // the pointer (mouse, or a touch on the right half) holding the trigger, or null
  #stick = null;               // touch: {pointerId, x, y} where the movement stick's thumb came down
  #stickButtons = 0;           // touch: the directions the stick holds
  #aimAt = null;               // the map point under the mouse
  #aim = 0;                    // radians, as last sent
  #ticket = null;              // the matchmaker ticket while queued
  #queuedAt = 0;
  #timers = [];
  #frame = 0;
  #lastDom = 0;
  #resultsShown = false;
  #visible = false;
  #ui = {};

  constructor() {
    const ids = ['lobby', 'bots', 'play-bots', 'quick', 'find', 'cancel-find', 'queue', 'refresh', 'rooms',
      'rooms-empty', 'game', 'timer', 'health', 'ping', 'leave', 'canvas', 'feed', 'results', 'results-title',
      'results-list', 'again', 'scores'];
    for (const id of ids) this.#ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el(`arena-${id}`);
    const ui = this.#ui;
    ui.playBots.addEventListener('click', () => this.#playBots());
    ui.quick.addEventListener('click', () => this.#enter(() => this.#client.joinRoom({ type: ROOM_TYPE })));
    ui.find.addEventListener('click', () => this.#find());
    ui.cancelFind.addEventListener('click', () => this.#cancelFind());
    ui.refresh.addEventListener('click', () => this.#refresh());
    ui.leave.addEventListener('click', () => this.#leave());
    ui.again.addEventListener('click', () => this.#backToLobby());
    this.#wireControls();
    // For tests and debugging: what is on screen, in map units and in page pixels.
    globalThis.guildhallArena = { view: () => this.#debugView() };
  }

  /** Follows `client` (not started yet); null when signed out. */
  attach(client) {
    this.#stopGame();
    this.#setQueue(null);
    this.#client = client;
    if (!client) return;
    const mine = (handler) => (e) => { if (this.#client === client) handler(e.detail); };
    client.addEventListener('authenticated', mine(() => this.#onAuthenticated()));
    client.addEventListener('roomsnapshot', mine((s) => this.#onSnapshot(s)));
    client.addEventListener('roomevent', mine((e) => this.#onEvent(e)));
    client.addEventListener('roomclosed', mine((c) => this.#onClosed(c)));
    client.addEventListener('matchmakerticket', mine((t) => this.#setQueue(t)));
    client.addEventListener('matchmakermatched', mine((m) => this.#onMatched(m)));
    client.addEventListener('matchmakercancelled', mine((c) => this.#onCancelled(c)));
  }

  setVisible(visible) {
    this.#visible = visible;
    if (!visible) this.#releaseControls();
    if (visible && !this.#net) this.#refresh();
  }

  // ---- lobby ---------------------------------------------------------------------------------------------------

  #playBots() {
    const options = { bots: this.#ui.bots.value };
    // ?arena_seed=N makes the bots' moves and the spawns repeat exactly (docs/arena.md, option `seed`).
    const seed = new URLSearchParams(location.search).get('arena_seed');
    if (seed) options.seed = seed;
    this.#enter(() => this.#client.createRoom({ type: ROOM_TYPE, options, private: true }));
  }

  async #refresh() {
    if (!this.#client?.online) return;
    try {
      const { rooms = [] } = await this.#client.listRooms(ROOM_TYPE);
      this.#ui.rooms.replaceChildren(...rooms.map((room) => this.#roomRow(room)));
      this.#ui.roomsEmpty.hidden = rooms.length > 0;
    } catch (err) {
      showError(err);
    }
  }

  #roomRow(room) {
    const label = parseJson(room.label);
    const bots = Number(label.bots ?? 0);
    const text = `${label.map ?? 'yard'} · ${room.players ?? 0}/${room.maxPlayers ?? 8} seated`
      + (bots ? ` · ${bots} bot${bots === 1 ? '' : 's'}` : '');
    const join = make('button', { type: 'button', textContent: 'Join', dataset: { action: 'join' },
      on: { click: () => this.#enter(() => this.#client.joinRoom({ roomId: room.roomId })) } });
    const watch = make('button', { type: 'button', textContent: 'Watch',
      dataset: { action: 'watch' },
      on: { click: () => this.#enter(() => this.#client.joinRoom({ roomId: room.roomId, spectate: true })) } });
    return make('li', { className: 'match-row', dataset: { roomId: room.roomId } },
      make('span', { className: 'match-text', textContent: text }), join, watch);
  }

  async #find() {
    try {
      this.#setQueue(await this.#client.matchmakerAdd({
        roomType: ROOM_TYPE, stringProperties: { mode: 'ffa' }, query: { equal: { mode: 'ffa' } }, ...MATCH_SIZE,
      }));
    } catch (err) {
      showError(err);
    }
  }

  async #cancelFind() {
    const ticket = this.#ticket;
    this.#setQueue(null);
    if (ticket) await this.#client.matchmakerRemove(ticket).catch(() => {});
  }

  /** A ticket (queued), or null (not queued); `text` replaces the status line. */
  #setQueue(ticket, text = '') {
    const ui = this.#ui;
    this.#ticket = ticket ? String(ticket.ticket) : null;
    if (ticket) this.#queuedAt = now();
    ui.find.hidden = Boolean(ticket);
    ui.cancelFind.hidden = !ticket;
    ui.queue.hidden = !ticket && !text;
    ui.queue.dataset.state = ticket ? 'queued' : (text ? 'info' : 'idle');
    ui.queue.textContent = ticket ? 'Looking for players…' : text;
  }

  #onMatched(matched) {
    this.#ticket = null;
    this.#setQueue(null, 'Match found: joining…');
    this.#ui.queue.dataset.state = 'matched';
    this.#enter(() => this.#client.joinRoom({ roomId: matched.roomId, reservation: matched.reservation }));
  }

  #onCancelled(cancelled) {
    this.#setQueue(null, `No match: ${cancelled.reason || 'the ticket was cancelled'}.`);
  }

  // ---- the room ------------------------------------------------------------------------------------------------

  async #enter(join) {
    if (!this.#client?.online) return;
    const buttons = [this.#ui.playBots, this.#ui.quick];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      this.#start(await join());
    } catch (err) {
      showError(err);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  #start(joined) {
    this.#stopGame();
    const net = new ArenaNet(joined);
    this.#net = net;
    this.#names = new Map((joined.members ?? []).filter((m) => !m.spectator)
      .map((m) => [Number(m.seat ?? 0), m.username ?? '']));
    this.#scores.clear();
    this.#resultsShown = false;
    const ui = this.#ui;
    ui.feed.replaceChildren();
    ui.results.hidden = true;
    ui.lobby.hidden = true;
    ui.game.hidden = false;
    ui.game.dataset.roomId = net.roomId;
    ui.game.dataset.seat = String(net.seat);
    if (this.#ui.queue.dataset.state === 'matched') this.#setQueue(null);
    const step = () => this.#step();
    this.#timers.push(setInterval(step, 1000 / net.tickHz / 2));
    this.#timers.push(setInterval(() => this.#ping(), PING_INTERVAL_MS));
    this.#ping();
    const frame = () => {
      this.#draw();
      this.#frame = requestAnimationFrame(frame);
    };
    this.#frame = requestAnimationFrame(frame);
    ui.canvas.focus({ preventScroll: true });
  }

  #stopGame() {
    this.#timers.forEach(clearInterval);
    this.#timers = [];
    cancelAnimationFrame(this.#frame);
    this.#net = null;
  }

  async #leave() {
    const net = this.#net;
    this.#backToLobby();
    if (net) await this.#client?.leaveRoom(net.roomId).catch(() => {});
  }

  #backToLobby() {
    this.#stopGame();
    this.#ui.game.hidden = true;
    this.#ui.lobby.hidden = false;
    this.#refresh();
  }

  // A new socket is in no room: the same user joining again gets the same seat back within the grace.
  async #onAuthenticated() {
    const net = this.#net;
    if (!net) {
      if (this.#visible) this.#refresh();
      return;
    }
    try {
      const joined = await this.#client.joinRoom({ roomId: net.roomId });
      if (this.#net === net) this.#start(joined);
    } catch (err) {
      showError(err);
      if (this.#net === net) this.#backToLobby();
    }
  }

  async #ping() {
    const net = this.#net;
    try {
      const rtt = await this.#client.measureRtt();
      net?.recordRtt(rtt);
    } catch {
      // A lost Pong shows as a stale ping; the client reconnects on its own.
    }
  }

  #onSnapshot(snapshot) {
    if (this.#net && String(snapshot.roomId) === this.#net.roomId) this.#net.receiveSnapshot(snapshot, now());
  }

  #onEvent(event) {
    if (!this.#net || String(event.roomId) !== this.#net.roomId) return;
    const change = event.memberChange;
    if (change?.member && !change.member.spectator) {
      const seat = Number(change.member.seat ?? 0);
      if (change.kind === 'JOINED' || change.kind === 'RETURNED') this.#names.set(seat, change.member.username);
      if (change.kind === 'LEFT') this.#names.delete(seat);
      return;
    }
    const payload = parseJson(event.payload);
    if (event.type === 'kill') {
      this.#names.set(payload.killer, payload.killer_name);
      this.#names.set(payload.victim, payload.victim_name);
      this.#addFeed(payload);
    } else if (event.type === 'results') {
      this.#showResults(payload);
    }
  }

  #onClosed(closed) {
    if (!this.#net || String(closed.roomId) !== this.#net.roomId) return;
    this.#stopGame();
    if (!this.#resultsShown) {
      this.#ui.resultsTitle.textContent = closed.message || 'The room has closed.';
      this.#ui.resultsList.replaceChildren();
      this.#ui.results.hidden = false;
    }
    this.#ui.game.dataset.closed = closed.reason ?? 'ENDED';
  }

  #addFeed(kill) {
    const you = this.#net?.seat;
    const item = make('li', { dataset: { killer: kill.killer, victim: kill.victim } },
      tinted(make('span', { textContent: kill.killer_name }), 'color', kill.killer),
      ' ✕ ',
      tinted(make('span', { textContent: kill.victim_name }), 'color', kill.victim));
    if (kill.killer === you || kill.victim === you) item.className = 'mine';
    this.#ui.feed.prepend(item);
    while (this.#ui.feed.children.length > MAX_FEED) this.#ui.feed.lastChild.remove();
    setTimeout(() => item.remove(), FEED_SHOWN_MS);
  }

  #showResults(results) {
    this.#resultsShown = true;
    const ui = this.#ui;
    const scores = results.scores ?? [];
    const winner = scores.find((s) => s.seat === results.winner);
    ui.resultsTitle.textContent = winner ? `${winner.name} wins` : 'The match is over';
    ui.resultsList.replaceChildren(...scores.map((s) => make('li', {
      className: s.seat === this.#net?.seat ? 'you' : '',
      textContent: `${s.name}${s.bot ? ' (bot)' : ''}: ${s.kills} kills, ${s.deaths} deaths`,
    })));
    ui.results.hidden = false;
    ui.game.dataset.over = 'true';
  }

  // ---- controls ----------------------------------------------------------------------------------------------

  #wireControls() {
    const canvas = this.#ui.canvas;
    const playing = () => this.#visible && this.#net !== null;
    const typing = (e) => e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    window.addEventListener('keydown', (e) => {
      if (!playing() || typing(e) || !(e.code in KEYS)) return;
      e.preventDefault();  // the arrows and space would scroll the page
      this.#held |= KEYS[e.code];
    });
    window.addEventListener('keyup', (e) => {
      if (e.code in KEYS) this.#held &= ~KEYS[e.code];
    });
    window.addEventListener('blur', () => this.#releaseControls());
    canvas.addEventListener('pointermove', (e) => {
      if (e.pointerId === this.#stick?.pointerId) {
        this.#stickButtons = stickButtons(e.clientX - this.#stick.x, e.clientY - this.#stick.y);
      } else if (e.pointerType === 'mouse' || e.pointerId === this.#pointerFire) {
        this.#aimAt = this.#mapPoint(e);
      }
    });
    canvas.addEventListener('pointerdown', (e) => {
      if (!playing()) return;
      canvas.setPointerCapture(e.pointerId);  // a thumb sliding off the canvas keeps steering
      if (e.pointerType === 'touch' && isStickTouch(e.clientX, canvas.getBoundingClientRect())) {
        this.#stick = { pointerId: e.pointerId, x: e.clientX, y: e.clientY };
        this.#stickButtons = 0;
        return;
      }
      this.#aimAt = this.#mapPoint(e);
      this.#pointerFire = e.pointerId;
      canvas.focus({ preventScroll: true });
    });
    const release = (e) => {
      if (e.pointerId === this.#stick?.pointerId) {
        this.#stick = null;
        this.#stickButtons = 0;
      }
      if (e.pointerId === this.#pointerFire) this.#pointerFire = null;
    };
    window.addEventListener('pointerup', release);
    window.addEventListener('pointercancel', release);
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  }

  #releaseControls() {
    this.#held = 0;
    this.#pointerFire = null;
    this.#stick = null;
    this.#stickButtons = 0;
  }

  #mapPoint(e) {
    const box = this.#ui.canvas.getBoundingClientRect();
    const unit = box.width / 48;
    return { x: (e.clientX - box.left) / unit, y: 32 - (e.clientY - box.top) / unit };
  }

  #step() {
    const net = this.#net;
    if (!net || !this.#client) return;
    const t = now();
    const me = net.view(t)?.me;
    if (me && this.#aimAt) this.#aim = Math.atan2(this.#aimAt.y - me.y, this.#aimAt.x - me.x);
    const buttons = this.#held | this.#stickButtons | (this.#pointerFire !== null ? BUTTONS.fire : 0);
    const message = net.step(t, { buttons, aim: this.#aim });
    if (message) this.#client.sendRoomInput(message);
  }

  // ---- drawing -----------------------------------------------------------------------------------------------

  #draw() {
    const net = this.#net;
    if (!net || !this.#visible) return;
    const t = now();
    const view = net.view(t);
    if (view?.me?.alive) view.me.angle = this.#aim;
    let banner = view ? '' : 'Joining…';
    if (view?.match?.state === STATE_WAITING) banner = 'Waiting for another fighter';
    if (view?.me && !view.me.alive) banner = 'Respawning…';
    if (view?.match?.state === STATE_OVER) banner = '';
    drawArena(this.#ui.canvas, view, { nameOf: (seat) => this.#nameOf(seat), banner });
    if (view && t - this.#lastDom >= SCOREBOARD_INTERVAL_MS) {
      this.#lastDom = t;
      this.#updateHud(view, net);
    }
  }

  #nameOf(seat) {
    return this.#names.get(seat) || `bot ${seat + 1}`;
  }

  #updateHud(view, net) {
    const ui = this.#ui;
    for (const p of [...view.others, ...(view.me ? [view.me] : [])]) {
      this.#scores.set(p.seat, { kills: p.score, deaths: p.deaths, bot: p.bot });
    }
    const match = view.match;
    ui.timer.textContent = !match ? '' : match.state === STATE_WAITING ? 'Waiting' : formatClock(match.time_left);
    ui.health.textContent = view.me ? `♥ ${view.me.health}` : net.seat < 0 ? 'Watching' : '';
    ui.ping.textContent = net.rttMs ? `${Math.round(net.rttMs)} ms` : '';
    const game = ui.game.dataset;
    game.tick = String(view.tick);
    if (view.me) {
      game.x = view.me.x.toFixed(2);
      game.y = view.me.y.toFixed(2);
      game.score = String(view.me.score);
    }
    const rows = [...this.#scores].sort(([, a], [, b]) => b.kills - a.kills || a.deaths - b.deaths);
    ui.scores.replaceChildren(...rows.map(([seat, s]) => make('tr', {
      className: seat === net.seat ? 'you' : '', dataset: { seat, kills: s.kills, deaths: s.deaths },
    },
    make('td', {}, tinted(make('span', { className: 'swatch' }), 'background', seat),
      `${this.#nameOf(seat)}${s.bot ? ' (bot)' : ''}`),
    make('td', { textContent: String(s.kills) }), make('td', { textContent: String(s.deaths) }))));
  }

  #debugView() {
    const net = this.#net;
    const view = net?.view(now());
    if (!view) return null;
    const box = this.#ui.canvas.getBoundingClientRect();
    const { cssScale } = fitCanvas(this.#ui.canvas);
    const onPage = (p) => {
      const [x, y] = toCanvas(cssScale, p.x, p.y);
      return { ...p, pageX: box.left + x, pageY: box.top + y };
    };
    // `confirmed`: our fighter as the newest snapshot has it (the server's word, not the prediction).
    const confirmed = net.entitiesAt(net.ackTick, 'player').find((p) => p.seat === net.seat) ?? null;
    return { roomId: net.roomId, seat: net.seat, tick: view.tick, renderTick: view.renderTick, stats: { ...net.stats },
      rttMs: net.rttMs, me: view.me && onPage(view.me), confirmed, others: view.others.map(onPage), match: view.match };
  }
}
