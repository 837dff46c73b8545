"""guildhall.motion with scripted snapshots and injected time: the arena rule against sdk/js/src/arena_motion.ts (run
with node when present), prediction and reconciliation, the adaptive interpolation buffer, and clock sync."""
from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SDK = Path(__file__).resolve().parents[1]
REPO = SDK.parents[1]
sys.path.insert(0, str(SDK))

from guildhall.motion import (  # noqa: E402
    ARENA_MODEL,
    BUTTON_FIRE,
    BUTTON_LEFT,
    BUTTON_RIGHT,
    BUTTON_UP,
    YARD,
    Body,
    ClockSync,
    ClockSyncConfig,
    InterpolationConfig,
    PredictionConfig,
    PredictionModel,
    Predictor,
    SnapshotInterpolator,
    encode_input,
    quantize_aim,
    step_body,
)

SCRIPT = [(BUTTON_RIGHT, 30), (BUTTON_RIGHT | BUTTON_UP, 40), (0, 10), (BUTTON_LEFT, 200), (BUTTON_UP, 90),
          (BUTTON_RIGHT | BUTTON_FIRE, 60)]


def run_script(start: Body) -> list[list[float]]:
    body, out = start, []
    for buttons, ticks in SCRIPT:
        for _ in range(ticks):
            body = step_body(YARD, body, buttons, 1 / 30)
            out.append([body.x, body.y, body.vx, body.vy])
    return out


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the TypeScript SDK's arena rule for the reference")
def test_the_arena_rule_matches_the_typescript_sdk_step_for_step() -> None:
    built = REPO / "sdk" / "js" / "dist" / "index.js"   # the TypeScript SDK, built by `make build`
    assert built.exists(), f"{built} is missing: build the TypeScript SDK first (make build)"
    program = f"""
const m = await import({json.dumps(built.as_uri())});
let body = {{x: 3, y: 3, vx: 0, vy: 0}}; const out = [];
for (const [buttons, ticks] of {json.dumps(SCRIPT)}) for (let i = 0; i < ticks; i += 1) {{
  body = m.stepBody(m.YARD, body, buttons, 1 / 30); out.push([body.x, body.y, body.vx, body.vy]); }}
const aims = [0, 1, Math.PI / 2, -Math.PI / 4, 7 * Math.PI, 1e-9, NaN].map((a) => Array.from(m.encodeInput(31, a)));
console.log(JSON.stringify({{out, aims}}));
"""
    result = subprocess.run(["node", "--input-type=module", "-e", program], capture_output=True, text=True,
                            check=True, timeout=60)
    reference = json.loads(result.stdout)
    # Equal to rounding: hypot may differ by an ulp between V8, glibc (the server) and CPython, which is far inside
    # reconcile_epsilon; a port error shows as whole units after 430 ticks along walls.
    ours = run_script(Body(3, 3))
    assert len(ours) == len(reference["out"]) == 430
    assert max(abs(a - b) for row, ref in zip(ours, reference["out"]) for a, b in zip(row, ref)) < 1e-9
    aims = [list(encode_input(31, a)) for a in (0, 1, math.pi / 2, -math.pi / 4, 7 * math.pi, 1e-9, math.nan)]
    assert aims == reference["aims"]


def test_the_arena_rule_keeps_fighters_inside_and_out_of_walls() -> None:
    positions = run_script(Body(3, 3))
    assert all(0.5 <= x <= 47.5 and 0.5 <= y <= 31.5 for x, y, _, _ in positions)
    assert max(math.hypot(vx, vy) for _, _, vx, vy in positions) <= 6.0 + 1e-9
    assert encode_input(BUTTON_UP, math.pi / 2) == bytes([0x01, 0x00, 0x40]) and quantize_aim(-math.pi) == 32768


def line_model() -> PredictionModel[float, float]:
    """A 1-D game: the state is a position, the input a velocity."""
    return PredictionModel(step=lambda s, v, dt: s + v * dt, distance=lambda a, b: abs(a - b),
                           lerp=lambda a, b, t: a + (b - a) * t)


def test_prediction_agrees_corrects_with_replay_and_smooths() -> None:
    p = Predictor(line_model(), 0.0, PredictionConfig(smoothing_ms=100, snap_distance=4, reconcile_epsilon=0.1))
    for sequence in range(1, 6):
        assert p.apply(sequence, 1.0, 1.0)
    assert p.state == 5.0 and not p.apply(5, 1.0, 1.0) and p.stats.refused_inputs == 1
    agreed = p.reconcile(2.05, 2, now_ms=0)
    assert agreed.outcome == "agreed" and agreed.error == pytest.approx(0.05) and p.state == 5.0
    assert [q.sequence for q in p.pending] == [3, 4, 5]
    corrected = p.reconcile(2.5, 3, now_ms=1000)  # predicted 3.0 for input 3: off by 0.5
    assert corrected.outcome == "corrected" and corrected.replayed == 2 and p.state == pytest.approx(4.5)
    assert p.shown(1000) == pytest.approx(5.0), "no visible jump at the correction"
    assert 4.5 < p.shown(1100) < 5.0 and p.shown(1600) == pytest.approx(4.5), "glides to the prediction"
    assert p.reconcile(9.0, 1, now_ms=1700).outcome == "stale"
    snapped = p.reconcile(40.0, 4, now_ms=1800)
    assert snapped.outcome == "snapped" and p.shown(1800) == pytest.approx(41.0)
    assert p.reconcile(50.0, 9, now_ms=1900).outcome == "rebased" and not p.pending
    assert p.stats.corrections == 2 and p.stats.snaps == 1


def test_prediction_history_is_bounded() -> None:
    p = Predictor(line_model(), 0.0, PredictionConfig(max_pending_inputs=4))
    for sequence in range(1, 11):
        p.apply(sequence, 1.0, 0.1)
    assert len(p.pending) == 4 and p.stats.history_overflows == 6
    with pytest.raises(ValueError):
        PredictionConfig(max_pending_inputs=0).validate()


def test_the_arena_model_reconciles_a_drifted_fighter() -> None:
    p = Predictor(ARENA_MODEL, Body(3, 3))
    for sequence in range(1, 11):
        p.apply(sequence, BUTTON_RIGHT, 1 / 30)
    server = step_body(YARD, Body(3.3, 3), BUTTON_RIGHT, 1 / 30)  # the server saw us start a little further right
    result = p.reconcile(server, 1, now_ms=0)
    assert result.outcome == "corrected" and result.replayed == 9 and p.state.x > p.pending[-1].after.x - 1


def test_interpolation_draws_about_two_snapshots_behind_and_blends() -> None:
    config = InterpolationConfig(tick_ms=50)
    interp = SnapshotInterpolator(config, lerp=lambda a, b, t: a + (b - a) * t)
    assert interp.sample(0) is None
    for tick in range(1, 11):
        assert interp.push(tick, float(tick * 10), 1000 + tick * 50) == "newest"
    now = 1000 + 10 * 50
    sample = interp.sample(now)
    assert sample is not None and not sample.extrapolated
    assert sample.render_tick == pytest.approx(8.0), "two intervals behind the newest on a clean link"
    assert interp.sample_state(now + 25) == pytest.approx(85.0)
    assert interp.push(5, 0.0, now) == "duplicate" and len(interp) == 10


def test_interpolation_extrapolates_briefly_then_holds_and_counts_underruns() -> None:
    interp = SnapshotInterpolator(InterpolationConfig(tick_ms=50, max_extrapolation_ms=100),
                                  lerp=lambda a, b, t: a + (b - a) * t)
    for tick in range(1, 6):
        interp.push(tick, float(tick), 1000 + tick * 50)
    later = interp.sample(1000 + 5 * 50 + 150)
    assert later is not None and later.extrapolated and later.t == pytest.approx(2.0)
    held = interp.sample_state(1000 + 5 * 50 + 1000)
    assert held == pytest.approx(7.0), "extrapolation stops at max_extrapolation_ms past the newest"
    assert interp.stats.underruns == 1
    interp.push(6, 6.0, 2300)
    interp.sample(5000)
    assert interp.stats.underruns == 2


def test_the_delay_grows_with_jitter_and_loss_and_glides() -> None:
    rng = random.Random(1)
    calm = SnapshotInterpolator(InterpolationConfig(tick_ms=50))
    rough = SnapshotInterpolator(InterpolationConfig(tick_ms=50))
    for tick in range(1, 200):
        calm.push(tick, 0, tick * 50 + 20)
        if tick % 10:  # every tenth lost
            rough.push(tick, 0, tick * 50 + 20 + rng.uniform(0, 60))
    assert calm.clock.target_delay_ms() == pytest.approx(50, abs=1)
    assert rough.clock.jitter_ms > 15 and rough.clock.loss > 0.01
    assert rough.clock.target_delay_ms() > 2 * 50 + 50
    before = rough.clock.delay_ms(200 * 50)
    rough.push(200, 0, 200 * 50 + 20)
    assert abs(rough.clock.delay_ms(200 * 50 + 100) - before) <= 0.1 * 100 + 1, "the render clock slews"


def test_clock_sync_takes_the_quickest_path_and_stamps_inputs_ahead() -> None:
    sync = ClockSync(ClockSyncConfig(tick_ms=50, input_margin_ticks=1))
    assert sync.server_tick_at(0) is None and sync.input_tick(0) is None
    # Server tick t happens at local time 1000 + 50 t; snapshots take 20 ms one way, some queue up to 80 ms more.
    rng = random.Random(2)
    for tick in range(1, 80):
        spike = 80 if tick % 7 == 0 else 0
        sync.on_snapshot(tick, 1000 + 50 * tick + 20 + spike + rng.uniform(0, 3))
        sync.on_round_trip(40 + rng.uniform(0, 4) + spike, 1000 + 50 * tick)
    assert sync.synchronized and sync.min_rtt_ms == pytest.approx(40, abs=0.5)
    assert sync.server_tick_at(1000 + 50 * 100) == pytest.approx(100, abs=0.1)
    stamp = sync.input_tick(1000 + 50 * 100)
    assert stamp is not None and 101 <= stamp <= 104
    sync.on_snapshot(1000, 1000 + 50 * 100)  # ticks jumped (a restarted room): arrival - tick far below the minimum
    assert sync.resyncs == 1 and sync.server_tick_at(1000 + 50 * 100) == pytest.approx(1000.4, abs=0.1)
    sync.on_round_trip(-1, 0)
    sync.on_round_trip(math.nan, 0)
    assert sync.min_rtt_ms == pytest.approx(40, abs=0.5)
