#!/usr/bin/env python3
"""The arena (a top-down shooter) on the Guildhall Python SDK: the server simulates, this window predicts your
fighter with the server's own movement rule and draws everyone else interpolated (arena_model.py, on the SDK's
guildhall.motion helpers).

    python3 examples/pygame/arena.py                     # against 3 of the server's bots, over WebSocket
    python3 examples/pygame/arena.py --server udp://127.0.0.1:9702 --bots 7
    python3 examples/pygame/arena.py --quick             # join anyone's public arena (or open one)

WASD or the arrows move, the mouse aims, the left button or Space fires.
"""

from __future__ import annotations

import json
import math
import time

import game_shell  # first: it finds the SDK in the source tree and quiets pygame's greeting
import pygame
from arena_model import ArenaModel, Player, world_from
from game_shell import BACKGROUND, DIM, TEXT, WARN, guildhall
from guildhall.motion import (BUTTON_DOWN, BUTTON_FIRE, BUTTON_LEFT, BUTTON_RIGHT, BUTTON_UP, PLAYER_RADIUS, YARD,
                              encode_input)

SCALE = 20                                  # pixels per arena unit
HUD = 44
SIZE = (int(YARD.width * SCALE), int(YARD.height * SCALE) + HUD)
KEYS = {pygame.K_w: BUTTON_UP, pygame.K_UP: BUTTON_UP, pygame.K_s: BUTTON_DOWN, pygame.K_DOWN: BUTTON_DOWN,
        pygame.K_a: BUTTON_LEFT, pygame.K_LEFT: BUTTON_LEFT, pygame.K_d: BUTTON_RIGHT, pygame.K_RIGHT: BUTTON_RIGHT,
        pygame.K_SPACE: BUTTON_FIRE}
SEAT_COLOURS = [(231, 76, 60), (52, 152, 219), (46, 204, 113), (241, 196, 15), (155, 89, 182), (230, 126, 34),
                (26, 188, 156), (236, 240, 241)]
WALL = (70, 76, 92)
PING_EVERY_S = 1.0
FEED_SHOWN_S = 6.0


def to_screen(x: float, y: float) -> tuple[int, int]:
    """Map units (+y up) to window pixels (+y down)."""
    return int(x * SCALE), int((YARD.height - y) * SCALE) + HUD


def to_map(px: int, py: int) -> tuple[float, float]:
    return px / SCALE, YARD.height - (py - HUD) / SCALE


class Arena:
    def __init__(self, args) -> None:
        self.args = args
        self.session = game_shell.Session(args, self.on_online)
        self.model: ArenaModel | None = None
        self.names: dict[int, str] = {}
        self.feed: list[tuple[float, str]] = []
        self.message = "joining…"
        self.held = 0
        self.mouse_fire = False
        self.aim = 0.0
        self.next_ping = 0.0
        self.spawn: Player | None = None
        self.snapshots = 0
        self.join_when_back = False

    @property
    def client(self) -> guildhall.Client:
        return self.session.client

    def on_online(self) -> None:
        self.message = "joining…"
        if self.args.quick:
            self.client.rooms.join_or_create("arena", callback=self.joined)
        else:
            options = {"bots": str(self.args.bots)}
            if self.args.seed:
                options["seed"] = str(self.args.seed)
            self.client.rooms.create("arena", options, private=True, callback=self.joined)

    def joined(self, done) -> None:
        if done.exception():
            self.message = f"cannot join: {game_shell.describe(done.exception())}"
            print(self.message, flush=True)
            return
        self.enter(done.result())

    def enter(self, joined: guildhall.RoomJoined) -> None:
        seat = -1 if joined.you.spectator else joined.you.seat
        self.model = ArenaModel(seat, joined.tick_hz)
        self.names = {m.seat: m.username for m in joined.members if not m.spectator}
        self.message = ""
        print(f"joined arena room {joined.room.room_id}: seat {seat}, {joined.tick_hz} Hz, "
              f"over {self.client.async_client.transport_kind}", flush=True)

    def handle(self, event, now_ms: float) -> None:
        if isinstance(event, guildhall.RoomSnapshot) and self.model and event.entities is not None:
            world = world_from(event.entities)
            self.model.on_snapshot(event.tick, world, now_ms)
            self.snapshots += 1
            me = world.players.get(self.model.seat)
            if self.spawn is None and me is not None and me.alive:
                self.spawn = me
                print(f"spawned at ({me.x:.2f}, {me.y:.2f})", flush=True)
        elif isinstance(event, guildhall.RoomRejoined):
            self.enter(event.joined)             # back in the same seat after a reconnection
        elif isinstance(event, guildhall.RoomEvent):
            self.on_room_event(event)
        elif isinstance(event, guildhall.RoomClosed):
            self.model = None
            if event.reason in (guildhall.RoomClosedReason.SHUTDOWN, guildhall.RoomClosedReason.UNSPECIFIED):
                # The room went with the server (rooms live in its memory): a new one once we are back.
                self.join_when_back = True
                self.message = "the room went with the server: a new one when it is back"
            else:
                self.message = f"the room has closed ({event.message or event.reason.name.lower()}): " \
                               "press Enter for another"
        elif isinstance(event, guildhall.Reconnected) and self.join_when_back:
            self.join_when_back = False
            self.on_online()

    def on_room_event(self, event: guildhall.RoomEvent) -> None:
        if event.member is not None and not event.member.spectator:
            if event.member_change in (guildhall.MemberChangeKind.JOINED, guildhall.MemberChangeKind.RETURNED):
                self.names[event.member.seat] = event.member.username
            return
        payload = json.loads(event.payload or "{}")
        if event.type == "kill":    # bots have names too: the kill feed is where they are heard of
            self.names[payload["killer"]], self.names[payload["victim"]] = payload["killer_name"], payload["victim_name"]
            self.feed.append((time.monotonic(), f"{payload['killer_name']} got {payload['victim_name']}"))
        elif event.type == "results":
            self.message = "match over: " + ", ".join(f"{line['name']} {line['kills']}" for line in payload["scores"])

    def on_input_event(self, event) -> None:
        if event.type == pygame.KEYDOWN and event.key in KEYS:
            self.held |= KEYS[event.key]
        elif event.type == pygame.KEYUP and event.key in KEYS:
            self.held &= ~KEYS[event.key]
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_RETURN and self.model is None:
            self.on_online()
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) and event.button == 1:
            self.mouse_fire = event.type == pygame.MOUSEBUTTONDOWN

    def update(self, now_ms: float) -> None:
        """Pings (the clock sync feeds on round trips) and sends one input per predicted tick."""
        if self.model is None or not self.client.connected:
            return
        if time.monotonic() >= self.next_ping:
            self.next_ping = time.monotonic() + PING_EVERY_S
            self.client.ping(callback=self.measured(self.model))
        me = self.model.newest.players.get(self.model.seat)
        if me is not None and pygame.mouse.get_focused():
            mx, my = to_map(*pygame.mouse.get_pos())
            self.aim = math.atan2(my - me.y, mx - me.x)
        buttons = self.held | (BUTTON_FIRE if self.mouse_fire else 0)
        for client_tick, view_tick in self.model.step(now_ms, buttons):
            try:
                self.client.rooms.send_input(encode_input(buttons, self.aim), client_tick, view_tick)
            except guildhall.GuildhallError:
                break   # not connected this instant: prediction goes on, the server's word corrects it later

    @staticmethod
    def measured(model: ArenaModel):
        """A ping's round trip feeds the clock sync of the room it was sent in (runs inside poll())."""
        def done(future) -> None:
            if not future.exception():
                model.on_round_trip(future.result(), time.monotonic() * 1000)
        return done

    def draw(self, screen, font, now_ms: float) -> None:
        screen.fill(BACKGROUND)
        pygame.draw.rect(screen, (32, 36, 44), (0, HUD, SIZE[0], SIZE[1] - HUD))
        for wall in YARD.walls[4:]:
            left, top = to_screen(wall.min_x, wall.max_y)
            pygame.draw.rect(screen, WALL, (left, top, (wall.max_x - wall.min_x) * SCALE,
                                            (wall.max_y - wall.min_y) * SCALE))
        frame = self.model.view(now_ms) if self.model else None
        if frame is not None:
            for shot in frame.shown.shots:
                pygame.draw.line(screen, (255, 240, 160) if shot.hit else (150, 150, 120),
                                 to_screen(shot.x0, shot.y0), to_screen(shot.x1, shot.y1), 2)
            for player in list(frame.shown.players.values()) + ([frame.me] if frame.me else []):
                self.draw_player(screen, font, player, player is frame.me)
            self.draw_hud(screen, font, frame.newest)
            if frame.me is not None and not frame.me.alive:
                text = font.render("you were hit: back in a moment…", True, WARN)
                screen.blit(text, text.get_rect(center=(SIZE[0] // 2, HUD + 20)))
        if self.message:
            text = font.render(self.message, True, WARN)
            screen.blit(text, text.get_rect(center=(SIZE[0] // 2, SIZE[1] // 2)))
        recent = [line for at, line in self.feed if time.monotonic() - at < FEED_SHOWN_S][-4:]
        for row, line in enumerate(recent):
            screen.blit(font.render(line, True, TEXT), (SIZE[0] - 260, HUD + 6 + row * 18))

    def draw_player(self, screen, font, player: Player, mine: bool) -> None:
        if not player.alive:
            return
        centre = to_screen(player.x, player.y)
        colour = SEAT_COLOURS[player.seat % len(SEAT_COLOURS)]
        pygame.draw.circle(screen, colour, centre, int(PLAYER_RADIUS * SCALE))
        if mine:
            pygame.draw.circle(screen, TEXT, centre, int(PLAYER_RADIUS * SCALE) + 3, 2)
        tip = (centre[0] + math.cos(player.angle) * 22, centre[1] - math.sin(player.angle) * 22)
        pygame.draw.line(screen, colour, centre, tip, 3)
        bar = pygame.Rect(centre[0] - 14, centre[1] - 22, 28, 4)
        pygame.draw.rect(screen, (60, 20, 20), bar)
        pygame.draw.rect(screen, (80, 220, 90), bar.inflate(-(28 - 28 * player.health // 100), 0).move(
            -(28 - 28 * player.health // 100) // 2, 0))
        name = self.names.get(player.seat, "bot" if player.bot else "")
        screen.blit(font.render(name, True, DIM), (centre[0] - 20, centre[1] + 12))

    def draw_hud(self, screen, font, newest) -> None:
        clock = "waiting for a second fighter" if newest.match_state == 0 else \
            f"{int(newest.time_left_s) // 60}:{int(newest.time_left_s) % 60:02d}"
        scores = "  ".join(f"{self.names.get(p.seat, 'bot')} {p.score}/{p.deaths}"
                           for p in sorted(newest.players.values(), key=lambda p: -p.score))
        transport = self.client.async_client.transport_kind
        rtt = self.model.clock.smoothed_rtt_ms if self.model else 0
        screen.blit(font.render(f"{clock}   {transport} ping {rtt:.0f} ms", True, TEXT), (8, 4))
        screen.blit(font.render(scores, True, DIM), (8, 24))


def main() -> None:
    def add_arguments(parser) -> None:
        parser.add_argument("--bots", type=int, default=3, help="the server's bots in a private room (0..7)")
        parser.add_argument("--seed", type=int, default=0, help="a room seed: spawns and bots replay exactly")
        parser.add_argument("--quick", action="store_true", help="join a public arena instead (or open one)")
    args = game_shell.parse_args(__doc__.splitlines()[0], add_arguments)
    screen = game_shell.open_window(SIZE, "Guildhall arena")
    font = game_shell.load_font(14)
    arena, hooks, clock = Arena(args), game_shell.TestHooks(args), pygame.time.Clock()
    frames, running = 0, True
    while running and not hooks.time_is_up():
        hooks.feed(arena.session.online and arena.model is not None)
        now_ms = time.monotonic() * 1000
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                running = False
            else:
                arena.on_input_event(event)
        network_events = arena.client.poll()
        arena.session.update(network_events)
        for update in network_events:
            arena.handle(update, now_ms)
        arena.update(now_ms)
        arena.draw(screen, font, now_ms)
        game_shell.draw_status(screen, font, arena.session)
        pygame.display.flip()
        frames += 1
        clock.tick(60)
    report(arena, frames)
    hooks.finish(screen)
    arena.client.close()
    pygame.quit()


def report(arena: Arena, frames: int) -> None:
    """One line for the tests and for anyone curious: what the session was like."""
    model = arena.model
    me = model.newest.players.get(model.seat) if model else None
    where = f"at ({me.x:.2f}, {me.y:.2f})" if me else "not in a room"
    stats = f", corrections {model.predictor.stats.corrections}, underruns {model.interpolator.stats.underruns}" \
        if model else ""
    print(f"final: {where}, {arena.snapshots} snapshots, {frames} frames over "
          f"{arena.client.async_client.transport_kind}{stats}", flush=True)


if __name__ == "__main__":
    main()
