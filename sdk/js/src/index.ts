// @guildhall/client: the Guildhall client SDK for browsers and Node 18+ (before Node 22, pass the `ws` package as
// options.WebSocket). docs/sdk-js.md is the manual.

export { makeAuthApi } from './auth.js';
export type { AuthApi, AuthApiOptions, Session, TokenRefresher } from './auth.js';
export { GuildhallConnection } from './connection.js';
export type {
  ConnectionOptions, ConnectionState, ReconnectOptions, RequestOptions, StatusDetail, WebSocketConstructor,
  WebSocketLike,
} from './connection.js';
export { GuildhallClient } from './client.js';
export type { ClientEvents, ClientOptions, Id } from './client.js';
export { ANSWER_KINDS, ONE_WAY_KINDS, PUSH_EVENTS } from './answers.js';
export type { Answers, OneWayKind } from './answers.js';
export {
  AUTH_CODES, AuthFailed, ConnectionLost, ConnectionRefused, ConnectTimeout, GuildhallError, LOCAL_CODES,
  NotConnected, RequestTimeout, ServerClosed, ServerError,
} from './errors.js';
export { MAX_FOLLOWED_MATCHES, MAX_RESUMED_CHANNELS } from './resume.js';
export { fromBase64, toBase64 } from './base64.js';
export * from './snapshot_codec.js';
export * from './arena_motion.js';
export {
  ArenaNet, INPUT_COPIES, MAX_INPUTS_PER_MESSAGE, RING_TICKS,
} from './arena_net.js';
export type { ArenaView, Controls, EntityValues, SnapshotOutcome } from './arena_net.js';
export { PUSH_KINDS, REQUEST_KINDS, RESPONSE_KINDS } from './protocol.js';
export type * as v1 from './protocol.js';

/** The URL of the WebSocket endpoint of the server at `baseUrl` (http -> ws, https -> wss, path /ws). */
export function socketUrlFor(baseUrl: string | URL): string {
  const url = new URL('/ws', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
