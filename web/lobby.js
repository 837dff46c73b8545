// The lobby: the form that creates a match, the open matches anyone may join or watch, and the signed-in
// user's own matches to resume. It asks the server for the lists and reports choices to play.js. The open list
// is subscribed: the server pushes each match created, joined, cancelled or expired, and each creator coming or
// going, so the list stays true without polling.

import { byId, make } from './dom.js';
import { isFreeSeat, normalizeInfo, seatName, timeControlText } from './match_state.js';
import { showError } from './notices.js';

const DEBOUNCE_MS = 500;       // a burst of match events refreshes the lists once
// Lists cost the server a store read or a visit to every shard, so they spend the user's send budget (shared with
// chat): an automatic refresh that hits RATE_LIMITED just waits for the next one instead of showing an error.
const QUIET_CODES = new Set(['DISCONNECTED', 'RATE_LIMITED']);
const TIME_CONTROLS = {        // the form's presets: minutes + increment seconds
  none: { initialMs: 0, incrementMs: 0 },
  '5+3': { initialMs: 5 * 60_000, incrementMs: 3_000 },
  '10+0': { initialMs: 10 * 60_000, incrementMs: 0 },
};

const sameName = (a, b) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

export class Lobby {
  #ui = {
    form: byId('create-form'), game: byId('create-game'), fenRow: byId('create-fen-row'), fen: byId('create-fen'),
    time: byId('create-time'),
    custom: byId('create-custom'), minutes: byId('create-minutes'), increment: byId('create-increment'),
    rated: byId('create-rated'), bot: byId('create-bot'), invite: byId('create-invite'), seat: byId('create-seat'),
    submit: byId('create-submit'), refresh: byId('lobby-refresh'), open: byId('open-matches'),
    openEmpty: byId('open-empty'), mine: byId('my-matches'), mineEmpty: byId('my-empty'),
    finished: byId('my-finished'),
  };
  #client = null;
  #me = null;
  #actions;
  #debounceTimer = null;
  #openMatches = new Map();      // matchId -> MatchInfo: the open list as listed, then as pushed
  #refreshing = null;

  /** `actions`: {create(spec) -> Promise, join(matchId), watch(matchId), open(matchId)}. */
  constructor(actions) {
    this.#actions = actions;
    const ui = this.#ui;
    ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#create();
    });
    ui.game.addEventListener('change', () => this.#syncForm());
    ui.time.addEventListener('change', () => this.#syncForm());
    ui.bot.addEventListener('change', () => this.#syncForm());
    ui.refresh.addEventListener('click', () => this.refresh({ quiet: false }));
    ui.finished.addEventListener('change', () => this.refresh({ quiet: false }));
    this.#syncForm();
  }

  /** Follows `client` for user `me` ({userId, username}); null when signed out. */
  attach(client, me) {
    this.#client = client;
    this.#me = me;
    this.#openMatches.clear();
    this.#ui.open.replaceChildren();
    this.#ui.mine.replaceChildren();
    if (client) this.refresh();
  }

  /** Coming on screen refreshes the lists (the open one keeps itself true by pushes meanwhile). */
  setVisible(visible) {
    if (visible) this.refresh();
  }

  /** An OpenMatchesChanged push: a match entered, changed in or left the open list. */
  applyOpenChange(change) {
    const info = normalizeInfo(change.match ?? {});
    if (change.kind === 'REMOVED') this.#openMatches.delete(info.matchId);
    else this.#openMatches.set(info.matchId, info);
    this.#renderOpen();
    if (this.#isMine(info)) this.refreshSoon();  // my own match started or went: my list changed too
  }

  /** Refreshes soon, once for a burst of calls (match events, notifications). */
  refreshSoon() {
    clearTimeout(this.#debounceTimer);
    this.#debounceTimer = setTimeout(() => this.refresh(), DEBOUNCE_MS);
  }

  /** Reloads both lists; concurrent calls share one round trip. `quiet`: an automatic refresh (see QUIET_CODES). */
  refresh({ quiet = true } = {}) {
    const client = this.#client;
    if (!client?.online) return Promise.resolve();
    this.#refreshing ??= Promise.all([
      client.listOpenMatches('', true),  // (re)subscribes: a new socket after a reconnect follows nothing
      client.listMyMatches(this.#ui.finished.checked),
    ]).then(([open, mine]) => {
      if (client !== this.#client) return;
      this.#openMatches = new Map((open.matches ?? []).map(normalizeInfo).map((info) => [info.matchId, info]));
      this.#renderOpen();
      this.#renderMine((mine.matches ?? []).map(normalizeInfo));
    }).catch((err) => {
      if (!quiet || !QUIET_CODES.has(err.code)) showError(err);
    }).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  // ---- the create form ----------------------------------------------------------------------------------------

  #syncForm() {
    const ui = this.#ui;
    ui.custom.hidden = ui.time.value !== 'custom';
    ui.fenRow.hidden = ui.game.value !== 'chess';  // the one game option the server knows today
    const bot = ui.bot.checked;
    ui.rated.disabled = bot;   // the server refuses rated bot matches and invitations to one
    ui.invite.disabled = bot;
    if (bot) ui.rated.checked = false;
  }

  #timeControl() {
    const ui = this.#ui;
    if (ui.time.value !== 'custom') return TIME_CONTROLS[ui.time.value] ?? TIME_CONTROLS.none;
    const minutes = Number(ui.minutes.value);
    const increment = Number(ui.increment.value || 0);
    if (!(minutes > 0) || !(increment >= 0)) throw new Error('Enter the minutes (more than 0) and the increment.');
    return { initialMs: Math.round(minutes * 60_000), incrementMs: Math.round(increment * 1000) };
  }

  async #create() {
    const ui = this.#ui;
    let spec;
    try {
      const invite = ui.invite.disabled ? '' : ui.invite.value.trim();
      const fen = ui.fenRow.hidden ? '' : ui.fen.value.trim();
      spec = {
        game: ui.game.value,
        options: fen ? { fen } : undefined,
        timeControl: this.#timeControl(),
        rated: ui.rated.checked,
        seat: ui.seat.value,
        invite: invite ? [invite] : [],
        bot: ui.bot.checked ? { enabled: true } : undefined,
      };
    } catch (err) {
      showError(err);
      return;
    }
    ui.submit.disabled = true;
    try {
      await this.#actions.create(spec);
      ui.invite.value = '';
    } catch (err) {
      showError(err);
    } finally {
      ui.submit.disabled = false;
      this.refreshSoon();
    }
  }

  // ---- the lists ------------------------------------------------------------------------------------------------

  #isMine(info) {
    return info.players.some((p) => p.userId === this.#me?.userId);
  }

  #mayJoin(info) {
    return info.players.some((p) => isFreeSeat(p)
      && (p.invited.length === 0 || p.invited.some((name) => sameName(name, this.#me?.username ?? ''))));
  }

  #row(info, text, buttons) {
    return make('li', { className: 'match-row', dataset: { matchId: info.matchId, game: info.game, status: info.status } },
      make('span', { className: 'match-text', textContent: text }),
      make('span', { className: 'match-buttons' }, ...buttons));
  }

  #button(label, action, run) {
    return make('button', { type: 'button', textContent: label, dataset: { action }, on: { click: run } });
  }

  #renderOpen() {
    const matches = [...this.#openMatches.values()].sort((a, b) => Number(b.createdAtMs) - Number(a.createdAtMs));
    const rows = matches.map((info) => {
      const creator = info.players.filter((p) => !isFreeSeat(p)).map((p) => p.username).join(', ') || 'nobody';
      const invited = info.players.flatMap((p) => p.invited);
      const text = [info.game, `${creator} (${info.creatorOnline ? 'online' : 'away'})`,
        timeControlText(info.timeControl), info.rated ? 'rated' : 'casual',
        invited.length ? `invites ${invited.join(', ')}` : null].filter(Boolean).join(' · ');
      const buttons = this.#isMine(info)
        ? [this.#button('Open', 'open', () => this.#actions.open(info.matchId))]
        : [
          this.#mayJoin(info) ? this.#button('Join', 'join', () => this.#actions.join(info.matchId)) : null,
          this.#button('Watch', 'watch', () => this.#actions.watch(info.matchId)),
        ].filter(Boolean);
      const row = this.#row(info, text, buttons);
      row.dataset.creatorOnline = String(info.creatorOnline);
      return row;
    });
    this.#ui.open.replaceChildren(...rows);
    this.#ui.openEmpty.hidden = rows.length > 0;
  }

  #renderMine(matches) {
    const rows = matches.map((info) => {
      const seat = info.players.findIndex((p) => p.userId === this.#me?.userId);
      const opponents = info.players.filter((_, s) => s !== seat)
        .map((p) => (isFreeSeat(p) ? 'free seat' : p.username)).join(', ');
      const text = [info.game, `vs ${opponents}`, timeControlText(info.timeControl), this.#standing(info, seat)]
        .join(' · ');
      const row = this.#row(info, text, [this.#button('Open', 'open', () => this.#actions.open(info.matchId))]);
      if (info.status === 'ACTIVE' && info.toMove === seat) row.dataset.yourTurn = 'true';
      return row;
    });
    this.#ui.mine.replaceChildren(...rows);
    this.#ui.mineEmpty.hidden = rows.length > 0;
  }

  #standing(info, seat) {
    switch (info.status) {
      case 'OPEN': return 'waiting for players';
      case 'ACTIVE': return info.toMove === seat ? 'your turn' : `${seatName(info.game, info.toMove)} to move`;
      case 'FINISHED':
        if (info.result.winner < 0) return `draw (${info.result.reason})`;
        return `${info.result.winner === seat ? 'won' : 'lost'} (${info.result.reason})`;
      case 'ABORTED': return `aborted (${info.result.reason})`;
      default: return info.status;
    }
  }
}
