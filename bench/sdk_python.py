#!/usr/bin/python3
"""The Python SDK's benchmark (`bench/run.sh sdk-python` starts the server and runs this on CPU 1). One JSON line
per measurement, each with "scenario": "sdk-python" and "part":

* `chat`: one client joins a channel and sends --messages lines to it as fast as the SDK allows with at most
  --window sends awaiting their MessageAccepted; counts the ChatMessageReceived echoes. `answered_per_s` is
  accepted sends over the time to the last acceptance, `echoes_per_s` echoes over the time to the last echo, and
  `cpu_us_per_message` the process's CPU (every thread: user + system) over the run per message (one send, its
  answer and its echo); `cpu_pct` that CPU over the run's wall time.
* `ping`: --pings round trips, `sequential` (each waits for the one before) and `pipelined` (--window in flight);
  the same fields.
* `poll`: an arena room at 20 Hz with 7 server bots and this client seated (8 fighters; a seated player is sent
  those within its 24-unit view, `players_in_view`), or (`--views spectator`) a spectator of all 8 fighters
  while a helper process (`--hold-room`) holds the seat; a 60 fps loop calls `poll()`, reads every field of every
  entity of every snapshot it returns (as a renderer would) and, seated, sends an input every third frame
  (20 Hz). `poll_cpu_us_*`: the game thread's CPU time inside poll() (time.thread_time_ns); `poll_wall_us_*`:
  the wall time of the same calls (a poll() can wait for the GIL while the network thread decodes);
  `touch_cpu_us_*`: reading the entities; `clock_floor_us_*`: two clock reads at the top of the frame (the
  measuring floor); `decode_us_*`: the network thread's CPU per snapshot decode (the SDK's SnapshotDecoder, timed
  by a wrapping decoder factory); `process_cpu_pct`, `network_thread_cpu_pct`, `game_thread_cpu_pct`: CPU over
  the window, in percent of one core.

APIs: `Client` (guildhall.Client, the game-loop API: calls return Futures, callbacks run inside poll(); the loop
polls and sleeps 1 ms when nothing arrived) and `AsyncClient` (asyncio, on the main thread). The poll part is the
game-loop API's alone.

Runs with Debian's /usr/bin/python3 and the SDK from the tree. Raises nothing on a refused send: refusals are
counted (`refused`); a run that does not finish within DRAIN_TIMEOUT_S reports what it got, with `timed_out`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import pstats
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sdk" / "python"))

import guildhall  # noqa: E402
from guildhall.snapshot import SnapshotDecoder  # noqa: E402

STEP_TIMEOUT_S = 15.0      # a login, a connect, a join: generous, the machine is shared
DRAIN_TIMEOUT_S = 60.0     # a whole throughput run
IDLE_SLEEP_S = 0.001       # the game-loop driver's pause when a poll() brought nothing
FRAME_HZ = 60
INPUTS_EVERY_FRAMES = 3    # 60 fps / 3 = 20 inputs a second, the room's tick rate
ARENA_OPTIONS = {"bots": "7", "tick_hz": "20", "duration_s": "3600"}
TEXT_PAD = "x" * 48        # a chat line of about 56 bytes
_devices = itertools.count()


def device_id() -> str:
    return f"sdkbench-{os.getpid()}-{next(_devices)}"


def options() -> guildhall.ClientOptions:
    return guildhall.ClientOptions(connect_timeout_s=STEP_TIMEOUT_S, login_timeout_s=STEP_TIMEOUT_S,
                                   request_timeout_s=DRAIN_TIMEOUT_S, max_queued_events=1_000_000)


def quantiles_us(samples_ns: list[int], prefix: str) -> dict[str, float]:
    """p50, p99 and max of nanosecond samples, in µs."""
    if not samples_ns:
        return {f"{prefix}_p50": 0.0, f"{prefix}_p99": 0.0, f"{prefix}_max": 0.0}
    ordered = sorted(samples_ns)
    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000, 1)
    return {f"{prefix}_p50": at(0.5), f"{prefix}_p99": at(0.99), f"{prefix}_max": round(ordered[-1] / 1000, 1)}


class Tally:
    """What a throughput run counts; times from time.perf_counter, CPU from time.process_time (all threads)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.accepted = self.refused = self.echoes = 0
        self.first_refusal = ""
        self.start = self.last_accept = self.last_echo = time.perf_counter()
        self.cpu_start = time.process_time()

    def answered(self, error: BaseException | None) -> None:
        if error is None:
            self.accepted += 1
            self.last_accept = time.perf_counter()
        else:
            self.refused += 1
            self.first_refusal = self.first_refusal or repr(error)

    def echoed(self) -> None:
        self.echoes += 1
        self.last_echo = time.perf_counter()

    def report(self, echoes_expected: bool) -> dict[str, Any]:
        cpu_s = time.process_time() - self.cpu_start
        wall_s = max(self.last_accept, self.last_echo) - self.start
        out: dict[str, Any] = {
            "count": self.count, "answered": self.accepted, "refused": self.refused,
            "answered_per_s": round(self.accepted / max(self.last_accept - self.start, 1e-9)),
            "cpu_us_per_message": round(cpu_s / max(self.count, 1) * 1e6, 1),
            "cpu_pct": round(100 * cpu_s / max(wall_s, 1e-9), 1), "seconds": round(wall_s, 3)}
        if echoes_expected:
            out["echoes"] = self.echoes
            out["echoes_per_s"] = round(self.echoes / max(self.last_echo - self.start, 1e-9))
        if self.first_refusal:
            out["first_refusal"] = self.first_refusal
        return out


# ---- the game-loop API (guildhall.Client) --------------------------------------------------------------------

def sync_connect(url: str) -> guildhall.Client:
    client = guildhall.Client(url, options())
    try:
        client.login_guest(device_id()).result(STEP_TIMEOUT_S)
        client.connect().result(STEP_TIMEOUT_S)
    except BaseException:
        client.close()
        raise
    return client


Done = Callable[[Future[Any]], None]


def drive_sync(client: guildhall.Client, tally: Tally, window: int, start: Callable[[Done], Any],
               is_echo: Callable[[guildhall.Event], bool] | None) -> bool:
    """Keeps `window` calls in flight from the game thread until every call was answered (and echoed, with
    `is_echo`); callbacks and echoes arrive through poll(). Returns False on DRAIN_TIMEOUT_S."""
    outstanding = 0
    started = 0

    def done(future: Future[Any]) -> None:
        nonlocal outstanding
        outstanding -= 1
        tally.answered(future.exception())

    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while tally.accepted + tally.refused < tally.count or (is_echo and tally.echoes < tally.accepted):
        if time.monotonic() > deadline:
            return False
        while started < tally.count and outstanding < window:
            start(done)
            started += 1
            outstanding += 1
        before = tally.accepted + tally.refused + tally.echoes
        for event in client.poll():
            if is_echo is not None and is_echo(event):
                tally.echoed()
        if tally.accepted + tally.refused + tally.echoes == before:
            time.sleep(IDLE_SLEEP_S)  # a game would draw a frame here; nothing to do until the network thread runs
    return True


def chat_sync(url: str, count: int, window: int) -> dict[str, Any]:
    with sync_connect(url) as client:
        channel = f"bench{os.getpid()}c{next(_devices)}"
        client.chat.join(channel).result(STEP_TIMEOUT_S)
        client.poll()
        texts = iter(f"{i} {TEXT_PAD}" for i in range(count))
        tally = Tally(count)
        finished = drive_sync(client, tally, window, lambda done: client.chat.send(channel, next(texts), callback=done),
                              lambda e: isinstance(e, guildhall.ChatMessageReceived) and e.message.channel == channel)
        return tally.report(True) | {"timed_out": not finished}


def ping_sync(url: str, count: int, window: int) -> list[dict[str, Any]]:
    with sync_connect(url) as client:
        tally = Tally(count)
        for _ in range(count):
            try:
                client.ping().result(DRAIN_TIMEOUT_S)
                tally.answered(None)
            except guildhall.GuildhallError as error:
                tally.answered(error)
        sequential = tally.report(False) | {"mode": "sequential", "timed_out": False}
        tally = Tally(count)
        finished = drive_sync(client, tally, window, lambda done: client.ping(callback=done), None)
        return [sequential, tally.report(False) | {"mode": "pipelined", "window": window, "timed_out": not finished}]


# ---- the asyncio API (guildhall.AsyncClient) ----------------------------------------------------------------

async def async_connect(url: str) -> guildhall.AsyncClient:
    client = guildhall.AsyncClient(url, options())
    await client.login_guest(device_id())
    await asyncio.wait_for(client.connect(), STEP_TIMEOUT_S)
    return client


async def drive_async(tally: Tally, window: int, call: Callable[[], Awaitable[Any]]) -> None:
    """`window` workers, each awaiting one call at a time until `tally.count` calls were made."""
    tickets: Iterator[int] = iter(range(tally.count))

    async def worker() -> None:
        for _ in tickets:
            try:
                await call()
                tally.answered(None)
            except guildhall.GuildhallError as error:
                tally.answered(error)
    await asyncio.gather(*(worker() for _ in range(window)))


async def chat_async(url: str, count: int, window: int) -> dict[str, Any]:
    client = await async_connect(url)
    async with client:
        channel = f"bench{os.getpid()}c{next(_devices)}"
        await client.chat.join(channel)
        client.pending_events()
        texts = iter(f"{i} {TEXT_PAD}" for i in range(count))
        tally = Tally(count)

        async def echoes() -> None:
            while tally.echoes < count:
                event = await client.next_event()
                if isinstance(event, guildhall.ChatMessageReceived) and event.message.channel == channel:
                    tally.echoed()
        counting = asyncio.create_task(echoes())
        timed_out = False
        try:
            await asyncio.wait_for(drive_async(tally, window, lambda: client.chat.send(channel, next(texts))),
                                   DRAIN_TIMEOUT_S)
            await asyncio.wait_for(asyncio.shield(counting), 5.0 if tally.refused else DRAIN_TIMEOUT_S)
        except asyncio.TimeoutError:
            timed_out = True
        counting.cancel()
        return tally.report(True) | {"timed_out": timed_out}


async def ping_async(url: str, count: int, window: int) -> list[dict[str, Any]]:
    client = await async_connect(url)
    async with client:
        tally = Tally(count)
        await asyncio.wait_for(drive_async(tally, 1, client.ping), DRAIN_TIMEOUT_S)
        sequential = tally.report(False) | {"mode": "sequential", "timed_out": False}
        tally = Tally(count)
        await asyncio.wait_for(drive_async(tally, window, client.ping), DRAIN_TIMEOUT_S)
        return [sequential, tally.report(False) | {"mode": "pipelined", "window": window, "timed_out": False}]


# ---- poll() per frame ----------------------------------------------------------------------------------------

class TimedDecoder:
    """A snapshot decoder factory that times the SDK's decoder on the network thread (thread CPU per decode), and
    can run cProfile on that thread: it starts when the room is joined and stops at the first decode after
    `stop_profile` is set."""

    def __init__(self, profile: bool) -> None:
        self.decode_ns: list[int] = []
        self.profiler = cProfile.Profile(time.thread_time) if profile else None  # CPU, not wall
        self.stop_profile = False

    def factory(self, joined: guildhall.RoomJoined) -> Callable[[int, int, bytes], Any]:
        decode = SnapshotDecoder(joined.schema_json).decode
        clock = time.thread_time_ns
        if self.profiler is not None:
            self.profiler.enable()

        def timed(tick: int, baseline_tick: int, data: bytes) -> Any:
            if self.stop_profile and self.profiler is not None:
                self.profiler.disable()
                self.stop_profile = False
            started = clock()
            states = decode(tick, baseline_tick, data)
            self.decode_ns.append(clock() - started)
            return states
        return timed


def thread_cpu_s(name: str) -> float:
    """CPU time of the live thread named `name` (0 when there is none)."""
    for thread in threading.enumerate():
        if thread.name == name and thread.ident is not None:
            return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
    return 0.0


class FrameStats:
    def __init__(self) -> None:
        self.poll_cpu_ns: list[int] = []
        self.poll_wall_ns: list[int] = []
        self.touch_cpu_ns: list[int] = []
        self.floor_ns: list[int] = []
        self.snapshots = self.entities = self.players = self.fields = self.events = 0
        self.checksum = 0.0


def run_frame(client: guildhall.Client, stats: FrameStats, frame: int, rng: random.Random | None) -> None:
    """One frame: poll(), touch every entity's every field, an input every INPUTS_EVERY_FRAMES frames."""
    floor = time.thread_time_ns()
    stats.floor_ns.append(time.thread_time_ns() - floor)  # the clock's own cost, just back from sleep
    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    events = client.poll()
    cpu_after, wall_after = time.thread_time_ns(), time.perf_counter_ns()
    stats.poll_cpu_ns.append(cpu_after - cpu)
    stats.poll_wall_ns.append(wall_after - wall)
    stats.events += len(events)
    for event in events:
        if isinstance(event, guildhall.RoomSnapshot) and event.entities is not None:
            stats.snapshots += 1
            for state in event.entities.values():
                stats.entities += 1
                stats.players += state.type_name == "player"
                for value in state.values.values():
                    stats.checksum += value
                    stats.fields += 1
    stats.touch_cpu_ns.append(time.thread_time_ns() - cpu_after)
    if rng is not None and frame % INPUTS_EVERY_FRAMES == 0:
        aim = rng.randrange(65536)
        client.rooms.send_input(bytes((rng.choice((1, 2, 4, 8, 5, 9, 6, 10)), aim & 0xFF, aim >> 8)))


def run_frames(client: guildhall.Client, seconds: float, stats: FrameStats, rng: random.Random | None) -> int:
    """A 60 fps loop for `seconds`: frames are scheduled on a fixed grid; a late frame is not made up for. Inputs
    from `rng` (None: a spectator, no inputs)."""
    period = 1.0 / FRAME_HZ
    next_frame = time.perf_counter()
    end = next_frame + seconds
    frame = 0
    while next_frame < end:
        run_frame(client, stats, frame, rng)
        frame += 1
        next_frame += period
        pause = next_frame - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        else:
            next_frame = time.perf_counter()
    return frame


def hold_room(url: str) -> int:
    """`--hold-room URL`: a seated player that creates the arena room, prints its id and stays (idle, not decoding)
    until its stdin closes, so that the measured client can spectate all 8 fighters (7 bots and this one). It moves
    to CPU 0, the server's: CPU 1 is the measured process's."""
    try:
        os.sched_setaffinity(0, {0})
    except OSError:
        pass  # a machine without CPU 0 to spare: share
    with sync_connect(url) as client:
        client.rooms.set_snapshot_decoder(None)
        joined = client.rooms.create("arena", ARENA_OPTIONS).result(STEP_TIMEOUT_S)
        print(joined.room.room_id, flush=True)
        sys.stdin.read()
    return 0


Holder = subprocess.Popen  # of str: the --hold-room process


def enter_room(client: guildhall.Client, url: str, view: str) -> tuple[guildhall.RoomJoined, Holder | None]:
    """Seated: creates the room. Spectator: a --hold-room process creates it, this client spectates."""
    if view == "seated":
        return client.rooms.create("arena", ARENA_OPTIONS).result(STEP_TIMEOUT_S), None
    holder = subprocess.Popen([sys.executable, __file__, "--hold-room", url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the room holder did not create a room (it printed {line!r})")
        return client.rooms.spectate(int(line)).result(STEP_TIMEOUT_S), holder
    except BaseException:
        release(holder)
        raise


def release(holder: Holder | None) -> None:
    if holder is not None:
        if holder.stdin is not None:
            holder.stdin.close()
        try:
            holder.wait(STEP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            holder.kill()


def poll_frames(url: str, transport: str, view: str, seconds: float, warmup_s: float,
                profile_path: str | None) -> dict[str, Any]:
    timer = TimedDecoder(profile_path is not None)
    with sync_connect(url) as client:
        client.rooms.set_snapshot_decoder(timer.factory)
        joined, holder = enter_room(client, url, view)
        try:
            rng = random.Random(11) if view == "seated" else None
            run_frames(client, warmup_s, FrameStats(), rng)
            out = measure_frames(client, timer, rng, seconds)
        finally:
            release(holder)
        out |= {"transport": transport, "view": view, "room_tick_hz": joined.tick_hz,
                "bad_snapshots": client.async_client.rooms.bad_snapshots}
    if timer.profiler is not None and profile_path:
        time.sleep(0.2)
        timer.profiler.dump_stats(profile_path)
        pstats.Stats(profile_path, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    return out


def measure_frames(client: guildhall.Client, timer: TimedDecoder, rng: random.Random | None,
                   seconds: float) -> dict[str, Any]:
    stats = FrameStats()
    decodes_before = len(timer.decode_ns)
    cpu0, net0, wall0 = time.process_time(), thread_cpu_s("guildhall-network"), time.perf_counter()
    frames = run_frames(client, seconds, stats, rng)
    wall = time.perf_counter() - wall0
    cpu, net = time.process_time() - cpu0, thread_cpu_s("guildhall-network") - net0
    decodes = timer.decode_ns[decodes_before:]
    timer.stop_profile = True
    per_snapshot = max(stats.snapshots, 1)
    return {"frames": frames, "fps": round(frames / wall, 1), "snapshots_per_s": round(stats.snapshots / wall, 1),
            "entities_per_snapshot": round(stats.entities / per_snapshot, 1),
            "players_in_view": round(stats.players / per_snapshot, 1),
            "fields_per_snapshot": round(stats.fields / per_snapshot, 1),
            **quantiles_us(stats.poll_cpu_ns, "poll_cpu_us"), **quantiles_us(stats.poll_wall_ns, "poll_wall_us"),
            **quantiles_us(stats.touch_cpu_ns, "touch_cpu_us"), **quantiles_us(stats.floor_ns, "clock_floor_us"),
            **quantiles_us(decodes, "decode_us"),
            "decode_us_mean": round(sum(decodes) / max(len(decodes), 1) / 1000, 1),
            "network_thread_us_per_snapshot": round(net / per_snapshot * 1e6, 1),
            "process_cpu_pct": round(100 * cpu / wall, 1), "network_thread_cpu_pct": round(100 * net / wall, 1),
            "game_thread_cpu_pct": round(100 * (cpu - net) / wall, 1)}


# ---- main ----------------------------------------------------------------------------------------------------

def emit(fields: dict[str, Any]) -> None:
    print(json.dumps({"scenario": "sdk-python", **fields, "load_1min": round(os.getloadavg()[0], 2)}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--websocket", help="ws:// URL of the server")
    parser.add_argument("--tcp", help="tcp:// URL")
    parser.add_argument("--udp", help="udp:// URL")
    parser.add_argument("--parts", default="chat,ping,poll", help="comma-separated: chat, ping, poll")
    parser.add_argument("--apis", default="Client,AsyncClient", help="comma-separated: Client, AsyncClient")
    parser.add_argument("--transports", default="websocket,tcp,udp")
    parser.add_argument("--messages", type=int, default=5000, help="chat lines per run")
    parser.add_argument("--pings", type=int, default=3000, help="round trips per ping run")
    parser.add_argument("--window", type=int, default=32, help="requests in flight")
    parser.add_argument("--seconds", type=float, default=10.0, help="poll part: measured seconds per transport")
    parser.add_argument("--warmup", type=float, default=2.0, help="poll part: seconds before measuring")
    parser.add_argument("--views", default="seated,spectator",
                        help="poll part: seated (this client plays: it sees its 24-unit view), spectator (a helper "
                             "process plays, this client sees all 8 fighters)")
    parser.add_argument("--profile", help="poll part: write the network thread's cProfile here (one run)")
    parser.add_argument("--hold-room", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--note", default="", help="copied into each line (say the server's limits)")
    args = parser.parse_args()
    if args.hold_room:
        return hold_room(args.hold_room)
    urls = {"websocket": args.websocket, "tcp": args.tcp, "udp": args.udp}
    common = {"note": args.note} if args.note else {}
    for part, transport in itertools.product(args.parts.split(","), args.transports.split(",")):
        url = urls[transport]
        if not url:
            parser.error(f"--{transport} is needed")
        if part == "poll":
            for view in args.views.split(","):
                emit({"part": "poll", "api": "Client", **common,
                      **poll_frames(url, transport, view, args.seconds, args.warmup, args.profile)})
            continue
        for api in args.apis.split(","):
            base = {"part": part, "api": api, "transport": transport, **common}
            if part == "chat":
                result = (chat_sync(url, args.messages, args.window) if api == "Client"
                          else asyncio.run(chat_async(url, args.messages, args.window)))
                emit(base | {"window": args.window} | result)
            elif part == "ping":
                runs = (ping_sync(url, args.pings, args.window) if api == "Client"
                        else asyncio.run(ping_async(url, args.pings, args.window)))
                for run in runs:
                    emit(base | run)
            else:
                parser.error(f"unknown part {part!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
