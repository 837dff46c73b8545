// The TypeScript SDK's side of the cross-SDK test (tests/cross_sdk/test_cross_sdk.py), on the built SDK
// (sdk/js/dist) with the `ws` package's WebSocket injected, so it runs on Node 18 as on 20 and 22:
//   node ts_peer.mjs SERVER_URL DEVICE_ID CHANNEL ROOM_ID
// SERVER_URL is the WebSocket endpoint (ws://127.0.0.1:PORT/ws); the HTTP API is on the same host and port.
// It prints exactly what cpp_peer.cpp prints, one JSON object a line on stdout:
//   {"event":"ready","username":"..."}
//   {"event":"chat","id":N,"from":"...","text":"..."}
//   {"event":"room","seq":N,"type":"...","payload":"..."}        (game events, not membership changes)
//   {"event":"snapshot","tick":T,"entities":[[id,kind,[fields...]],...]}   (entities by id, natural values)
//   {"event":"error","message":"..."}
// Commands, one per line on stdin: `say TEXT` (chat), `room-say TEXT` (a "say" room message), `quit`.

import { createRequire } from 'node:module';
import readline from 'node:readline';

const sdkDir = new URL('../../sdk/js/', import.meta.url);
const {
  decodeDelta, fromBase64, GuildhallClient, makeAuthApi, naturalFields, schemaFromJson,
} = await import(new URL('dist/index.js', sdkDir).href);
// `ws` is one of the SDK's dev dependencies: resolve it from there, not from this folder.
const WebSocket = createRequire(new URL('package.json', sdkDir))('ws');

const STEP_TIMEOUT_MS = 15_000;  // generous: the machine is shared
const BASELINES_KEPT = 64;       // decoded ticks kept as delta baselines (about 3 s at the dots' 20 Hz)

function emit(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

/** A uint64 (a decimal string in the protocol's JSON) as exact JSON digits: Number() would round ids past 2^53. */
function uint64(value) {
  return BigInt(value ?? 0).toString();
}

function emitError(err) {
  emit({ event: 'error', message: `${err?.code ?? 'ERROR'}: ${err?.message ?? String(err)}` });
}

/** Decodes each RoomSnapshot against the baseline it names, keeping the last BASELINES_KEPT decoded ticks. */
class SnapshotDecoder {
  #schema;
  #baselines = new Map();  // tick -> EntitySet, in arrival order

  constructor(schemaJson) {
    this.#schema = schemaFromJson(schemaJson);
  }

  /** The snapshot line of `snapshot`, or null when its baseline is gone (the next full one recovers). */
  decode(snapshot) {
    const tick = Number(snapshot.tick ?? 0);
    const baselineTick = Number(snapshot.baselineTick ?? 0);
    const baseline = baselineTick === 0 ? new Map() : this.#baselines.get(baselineTick);
    if (!baseline) return null;
    const entities = decodeDelta(this.#schema, baseline, fromBase64(snapshot.data ?? ''));
    this.#baselines.set(tick, entities);
    while (this.#baselines.size > BASELINES_KEPT) this.#baselines.delete(this.#baselines.keys().next().value);
    const rows = [...entities].sort(([a], [b]) => a - b).map(([id, entity]) => {
      const values = Object.values(naturalFields(this.#schema, entity)).map(Number);
      return [id, entity.type, values];
    });
    return { event: 'snapshot', tick, entities: rows };
  }
}

async function start(serverUrl, deviceId, channel, roomId, client) {
  const httpBase = new URL(serverUrl);
  httpBase.protocol = httpBase.protocol === 'wss:' ? 'https:' : 'http:';
  httpBase.pathname = '/';
  httpBase.search = '';
  const auth = makeAuthApi(httpBase.href);
  const session = await auth.guest(deviceId);
  const connected = new GuildhallClient({
    url: serverUrl, session, auth, WebSocket, connectTimeoutMs: STEP_TIMEOUT_MS, requestTimeoutMs: STEP_TIMEOUT_MS,
  });
  client.current = connected;
  let decoder = null;
  connected.on('chatmessage', (m) => {
    if (m.channel !== channel) return;
    process.stdout.write(`{"event":"chat","id":${uint64(m.messageId)},"from":${JSON.stringify(m.fromUsername ?? '')},`
      + `"text":${JSON.stringify(m.text ?? '')}}\n`);
  });
  connected.on('roomevent', (e) => {
    if (e.memberChange) return;
    process.stdout.write(`{"event":"room","seq":${uint64(e.seq)},"type":${JSON.stringify(e.type ?? '')},`
      + `"payload":${JSON.stringify(e.payload ?? '')}}\n`);
  });
  connected.on('roomsnapshot', (s) => {
    if (!decoder || String(s.roomId) !== String(roomId)) return;
    try {
      const line = decoder.decode(s);
      if (!line) return;
      emit(line);
      // Acknowledging lets the server send deltas against this tick (an idle player sends no inputs).
      connected.sendRoomInput({ roomId: String(roomId), ackTick: line.tick });
    } catch (err) {
      emitError(err);
    }
  });
  connected.on('pusherror', emitError);
  const me = await connected.connect();
  await connected.joinChannel(channel);
  const joined = await connected.joinRoom({ roomId });
  decoder = new SnapshotDecoder(joined.schemaJson);
  emit({ event: 'ready', username: me.username ?? '' });
}

function main() {
  const [serverUrl, deviceId, channel, roomId] = process.argv.slice(2);
  if (!roomId) {
    process.stderr.write('usage: node ts_peer.mjs URL DEVICE_ID CHANNEL ROOM_ID\n');
    process.exit(2);
  }
  const client = { current: null };
  const fail = (err) => {
    emitError(err);
    client.current?.stop();
    process.exit(1);
  };
  const started = start(serverUrl, deviceId, channel, roomId, client).catch(fail);
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', async (line) => {
    await started;
    const space = line.indexOf(' ');
    const command = space < 0 ? line : line.slice(0, space);
    const text = space < 0 ? '' : line.slice(space + 1);
    const net = client.current;
    if (command === 'quit' || !net) {
      net?.stop();
      process.exit(0);
    } else if (command === 'say') {
      net.sendMessage(channel, text).catch(emitError);
    } else if (command === 'room-say') {
      if (!net.sendRoomMessage(roomId, 'say', text)) emitError(new Error('not connected'));
    }
  });
  lines.on('close', () => {
    client.current?.stop();
    process.exit(0);
  });
}

main();
