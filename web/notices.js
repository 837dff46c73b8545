// What the page tells the user outside the views: the error banner (a sentence for the failure) and
// toasts for notifications and match news.

import { byId, make } from './dom.js';
import { errorText, logError } from './messages.js';

const ERROR_SHOWN_MS = 8_000;
const TOAST_SHOWN_MS = 10_000;
const MAX_TOASTS = 5;  // older ones go first: a burst of stored notifications must not cover the page

let errorTimer = null;

/**
 * Shows an Error or a string as a sentence a player understands (messages.js); a GuildhallError's code and the
 * server's own words go to the console.
 */
export function showError(err) {
  const banner = byId('error');
  logError(err);
  banner.textContent = errorText(err);
  if (err?.code) banner.dataset.code = err.code;
  else delete banner.dataset.code;
  banner.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => { banner.hidden = true; }, ERROR_SHOWN_MS);
}

export function clearError() {
  const banner = byId('error');
  clearTimeout(errorTimer);
  banner.hidden = true;
  banner.textContent = '';
}

/**
 * Shows a toast with `text` and optional buttons `actions: [{label, run}]`; a button closes the toast after
 * running. `dataset` labels the toast for tests (e.g. {kind: 'YOUR_TURN', matchId}).
 */
export function showToast(text, { actions = [], dataset = {} } = {}) {
  const shelf = byId('toasts');
  const toast = make('div', { className: 'toast', role: 'status', dataset: { testid: 'toast', ...dataset } });
  const close = () => toast.remove();
  const buttons = actions.map(({ label, run }) => make('button', {
    type: 'button', textContent: label, dataset: { action: label.toLowerCase() },
    on: { click: () => { close(); run(); } },
  }));
  const dismiss = make('button', {
    type: 'button', className: 'link', textContent: '×', title: 'Dismiss', ariaLabel: 'Dismiss',
    on: { click: close },
  });
  toast.append(make('span', { className: 'toast-text', textContent: text }), ...buttons, dismiss);
  shelf.append(toast);
  while (shelf.children.length > MAX_TOASTS) shelf.firstElementChild.remove();
  setTimeout(close, TOAST_SHOWN_MS);
}
