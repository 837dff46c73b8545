// The arena scenario's Colyseus room (issue 9, "Benchmark"): 8 players whose state is x, y, vx, vy in
// @colyseus/schema, simulated every 50 ms (setSimulationInterval) and patched to every client at 20 Hz
// (setPatchRate), the way the Colyseus docs write a real-time game. Clients send "input" {vx, vy} (each -1..1,
// a direction, like the arena's WASD); the server owns positions and speed, as Guildhall's arena does.
'use strict';
const { Room } = require('@colyseus/core');
const { Schema, MapSchema, defineTypes } = require('@colyseus/schema');

const kMapSize = 64;         // units, the size of Guildhall's yard map
const kMaxSpeed = 6;         // units per second, Guildhall's arena kMaxSpeed
const kTickMs = 50;          // 20 Hz

class Player extends Schema {
  constructor() {
    super();
    this.x = 0;
    this.y = 0;
    this.vx = 0;
    this.vy = 0;
  }
}
defineTypes(Player, { x: 'number', y: 'number', vx: 'number', vy: 'number' });

class ArenaState extends Schema {
  constructor() {
    super();
    this.players = new MapSchema();
  }
}
defineTypes(ArenaState, { players: { map: Player } });

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const direction = (v) => (typeof v === 'number' && Number.isFinite(v) ? clamp(v, -1, 1) : 0);

class ArenaRoom extends Room {
  maxClients = 8;

  onCreate() {
    this.setState(new ArenaState());
    this.setPatchRate(kTickMs);
    this.setSimulationInterval((dt) => this.simulate(dt), kTickMs);
    this.onMessage('input', (client, input) => {
      const player = this.state.players.get(client.sessionId);
      if (!player || !input) return;
      player.vx = direction(input.vx) * kMaxSpeed;
      player.vy = direction(input.vy) * kMaxSpeed;
    });
  }

  onJoin(client) {
    const player = new Player();
    player.x = Math.random() * kMapSize;
    player.y = Math.random() * kMapSize;
    this.state.players.set(client.sessionId, player);
  }

  onLeave(client) {
    this.state.players.delete(client.sessionId);
  }

  simulate(dtMs) {
    const dt = dtMs / 1000;
    this.state.players.forEach((p) => {
      p.x = clamp(p.x + p.vx * dt, 0, kMapSize);
      p.y = clamp(p.y + p.vy * dt, 0, kMapSize);
    });
  }
}

module.exports = { ArenaRoom };
