// Colyseus peer server for the chat-fanout and arena benchmarks: a "chat" room written the way
// the Colyseus docs write chat (onMessage + room.broadcast), and an "arena" room (arena_room.js)
// written the way they write a real-time game, so the comparison with Guildhall measures the
// framework, not a tuned or handicapped variant of it.
//
// Usage: node server.js [port]   (or PORT=...; 0 or unset = any free port)
// Prints "listening <port>" on stdout once it accepts connections; run.sh waits for it.
'use strict';
const { Server, Room } = require('@colyseus/core');
const { WebSocketTransport } = require('@colyseus/ws-transport');
const { ArenaRoom } = require('./arena_room');

class ChatRoom extends Room {
  // The default is already Infinity; stated so a reader sees no join is ever refused.
  maxClients = Infinity;

  onCreate() {
    // No state schema: plain chat needs none, and an empty state keeps the patch
    // loop out of the measurement, as it would be in a real chat room.
    this.onMessage('say', (client, msg) => {
      // sent_at is echoed untouched: it is the load generator's clock, not ours.
      this.broadcast('said', { from: client.sessionId, text: msg.text, sent_at: msg.sent_at });
    });
  }
}

async function main() {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  // greet: false keeps the ASCII banner out of the log.
  const server = new Server({ transport: new WebSocketTransport(), greet: false });
  server.define('chat', ChatRoom);
  server.define('arena', ArenaRoom);
  await server.listen(port, '127.0.0.1');
  console.log(`listening ${server.transport.server.address().port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
