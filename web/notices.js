// What the page tells the user outside the views: the error banner (the server's Error.message, in words).

import { byId } from './dom.js';

const ERROR_SHOWN_MS = 8_000;

let errorTimer = null;

/** Shows an Error (a GuildhallError carries the server's code and message) or a string. */
export function showError(err) {
  const banner = byId('error');
  const message = String(err?.message ?? err);
  banner.textContent = err?.code && err.code !== message ? `${err.code}: ${message}` : message;
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
