// The Play tab: the lobby beside the match on screen. This module talks to the server for both: it opens,
// joins, creates and leaves matches, sends moves and actions, applies MatchEvents, turns notifications into
// toasts, and after a reconnect re-opens the match on screen from the last ply it saw.
//
// Subscriptions: the connection follows the match on screen, plus the user's own open matches they looked away
// from (leaving an open match would give up the seat), so the page can say when an opponent arrives. Any other
// match is left when it goes off screen; the server then pushes Notifications for it instead of events.

import { Lobby } from './lobby.js';
import { MatchState, normalizeInfo, seatName } from './match_state.js';
import { MatchView } from './match_view.js';
import { showError, showToast } from './notices.js';

const now = () => performance.now();

export class Play {
  #client = null;
  #me = null;                    // {userId, username} of the signed-in user
  #current = null;               // the MatchState on screen
  #background = new Map();       // matchId -> MatchState: own open matches followed off screen
  #lobby;
  #view;

  constructor() {
    this.#lobby = new Lobby({
      create: (spec) => this.#create(spec),
      join: (matchId) => this.#join(matchId),
      watch: (matchId) => this.#open(matchId),
      open: (matchId) => this.#open(matchId),
    });
    this.#view = new MatchView({
      onMove: (move) => this.#move(move),
      onAction: (kind) => this.#act(kind),
      onJoin: () => this.#join(this.#current.matchId),
      onClose: () => this.#close(),
    });
  }

  /** Follows `client` (not started yet) from now on; null when signed out. */
  attach(client) {
    this.#client = client;
    this.#me = null;
    this.#current = null;
    this.#background.clear();
    this.#view.hide();
    this.#lobby.attach(null, null);
    if (!client) return;
    const mine = (handler) => (e) => { if (this.#client === client) handler(e.detail); };
    client.addEventListener('authenticated', mine((answer) => this.#onAuthenticated(answer)));
    client.addEventListener('matchevent', mine((event) => this.#onMatchEvent(event)));
    client.addEventListener('notification', mine((note) => this.#onNotification(note)));
    client.addEventListener('openmatcheschanged', mine((change) => this.#lobby.applyOpenChange(change)));
  }

  setVisible(visible) {
    this.#lobby.setVisible(visible);
  }

  // ---- connection ---------------------------------------------------------------------------------------------

  // Every (re)connect: a new socket follows nothing, so follow again what the page shows, from where it stopped.
  #onAuthenticated(answer) {
    const first = this.#me === null;
    this.#me = { userId: answer.userId ?? '0', username: answer.username ?? '' };
    if (first) this.#lobby.attach(this.#client, this.#me);
    else this.#lobby.refresh();
    if (this.#current) this.#catchUp(this.#current);
    for (const matchId of this.#background.keys()) {
      this.#client.openMatch(matchId).then((snapshot) => this.#onBackgroundSnapshot(snapshot), () => {});
    }
  }

  /** Asks for the moves after the last one seen and applies them; a hole in what comes back reloads it all. */
  async #catchUp(state) {
    const client = this.#client;
    try {
      const snapshot = await client.openMatch(state.matchId, state.lastPly);
      if (client !== this.#client || this.#current !== state) return;
      if (state.applySnapshot(snapshot, now())) {
        this.#view.show(state);
      } else {
        this.#show(new MatchState(await client.openMatch(state.matchId, 0), now()));
      }
    } catch (err) {
      if (err.code !== 'DISCONNECTED') showError(err);  // a disconnect catches up again once back
    }
  }

  // ---- what the user asks for -----------------------------------------------------------------------------

  async #create(spec) {
    const snapshot = await this.#client.createMatch(spec);
    this.#show(new MatchState(snapshot, now()));
  }

  async #open(matchId) {
    if (this.#current?.matchId === matchId) return;
    try {
      const snapshot = await this.#client.openMatch(matchId);
      this.#show(new MatchState(snapshot, now()));
    } catch (err) {
      showError(err);
    }
  }

  async #join(matchId) {
    try {
      const snapshot = await this.#client.joinMatch(matchId);
      // The answer holds no moves (an open match has none); a match already on screen keeps its own.
      const state = this.#current?.matchId === matchId ? this.#current : null;
      if (state) {
        state.applySnapshot(snapshot, now());
        this.#view.show(state);
      } else {
        this.#show(new MatchState(snapshot, now()));
      }
    } catch (err) {
      showError(err);
    } finally {
      this.#lobby.refreshSoon();
    }
  }

  async #move(move) {
    const state = this.#current;
    try {
      await this.#client.makeMove(state.matchId, move, state.lastPly);
      // The MatchEvent that follows the answer brings the new position.
    } catch (err) {
      showError(err);
      if (this.#current !== state) return;
      this.#view.redrawBoard();
      if (err.code === 'NOT_YOUR_TURN') this.#catchUp(state);  // the page was behind: fetch what it missed
    }
  }

  async #act(kind) {
    const state = this.#current;
    try {
      const snapshot = await this.#client.matchAction(state.matchId, kind);
      if (this.#current !== state) return;
      state.applySnapshot(snapshot, now());
      this.#view.show(state);
    } catch (err) {
      showError(err);
    } finally {
      this.#lobby.refreshSoon();
    }
  }

  #close() {
    this.#release(this.#current);
    this.#current = null;
    this.#view.hide();
    this.#lobby.refresh();
  }

  // ---- what is on screen ------------------------------------------------------------------------------------

  #show(state) {
    if (this.#current && this.#current.matchId !== state.matchId) this.#release(this.#current);
    this.#background.delete(state.matchId);
    this.#current = state;
    this.#view.show(state);
  }

  /** The match goes off screen: stop following it, unless that would give up the user's seat. */
  #release(state) {
    if (!state) return;
    if (state.isPlayer && state.info.status === 'OPEN') {
      this.#background.set(state.matchId, state);
    } else {
      this.#client?.leaveMatch(state.matchId).catch(() => {});
    }
  }

  // ---- pushes ---------------------------------------------------------------------------------------------------

  #onMatchEvent(event) {
    // Only seats and endings change the lobby's lists (a move changes whose turn it is, which the board shows).
    if (event.kind !== 'MOVED' || event.info?.status !== 'ACTIVE') this.#lobby.refreshSoon();
    const matchId = event.info?.matchId;
    const state = this.#current;
    if (state && state.matchId === matchId) {
      const applied = state.applyEvent(event, now());
      if (applied === 'applied') this.#view.show(state);
      else if (applied === 'gap') this.#catchUp(state);
      return;
    }
    const waiting = this.#background.get(matchId);
    if (!waiting) return;  // a late event of a match already left
    waiting.applyEvent(event, now());
    if (waiting.info.status !== 'OPEN') this.#onBackgroundStarted(waiting);
  }

  #onBackgroundSnapshot(snapshot) {
    const info = normalizeInfo(snapshot.info);
    const waiting = this.#background.get(info.matchId);
    if (!waiting) return;
    waiting.applySnapshot(snapshot, now());
    if (info.status !== 'OPEN') this.#onBackgroundStarted(waiting);
  }

  // One of the user's open matches got its players while off screen. While followed, the server sends no
  // notification for it, so say it here; then stop following, and notifications take over.
  #onBackgroundStarted(state) {
    this.#background.delete(state.matchId);
    this.#client.leaveMatch(state.matchId).catch(() => {});
    const others = state.info.players.filter((_, seat) => seat !== state.yourSeat).map((p) => p.username);
    let text = `${others.join(', ')} joined your ${state.game} match`;
    if (state.active && state.myTurn) text += `: your move as ${seatName(state.game, state.yourSeat)}`;
    if (state.over) text = `Your ${state.game} match ended: ${state.statusText()}`;
    showToast(text, {
      dataset: { kind: 'STARTED', matchId: state.matchId },
      actions: [{ label: 'Open', run: () => this.#open(state.matchId) }],
    });
  }

  #onNotification(note) {
    this.#lobby.refreshSoon();
    const matchId = note.matchId ?? '0';
    const kind = note.kind ?? 'KIND_UNSPECIFIED';
    const actions = [];
    if (matchId !== '0' && this.#current?.matchId !== matchId) {
      actions.push(kind === 'INVITED'
        ? { label: 'Join', run: () => this.#join(matchId) }
        : { label: 'Open', run: () => this.#open(matchId) });
    }
    showToast(note.text || kind, { actions, dataset: { kind, matchId } });
  }
}
