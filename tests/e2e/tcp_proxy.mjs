// A loopback TCP proxy that a test can cut: a page loaded through it reaches the server only through it, so
// cut() is a network outage for that page alone (the browser sees its WebSocket die, not close), and restore()
// lets it reconnect. Browsers' offline emulation does not touch an open WebSocket, hence this.

import net from 'node:net';

export class TcpProxy {
  #server = null;
  #sockets = new Set();
  #cut = false;

  /** Listens on a free loopback port; resolves to that port. */
  async start(targetPort) {
    this.#server = net.createServer((client) => {
      if (this.#cut) {
        client.destroy();
        return;
      }
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const [socket, other] of [[client, upstream], [upstream, client]]) {
        this.#sockets.add(socket);
        socket.on('error', () => other.destroy());
        socket.on('close', () => {
          this.#sockets.delete(socket);
          other.destroy();
        });
        socket.pipe(other);
      }
    });
    await new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', resolve);
    });
    return this.#server.address().port;
  }

  /** Drops every connection and refuses new ones until restore(). */
  cut() {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore() {
    this.#cut = false;
  }

  async stop() {
    this.cut();
    await new Promise((resolve) => (this.#server ? this.#server.close(resolve) : resolve()));
  }
}
