"""The one clock: frame <-> data time, the film's keyed start time, and roots of either rate."""

from __future__ import annotations

import numpy as np

from neuroblend import clock


def test_start_time_for_makes_the_frame_show_the_time():
    rng = np.random.default_rng(5)
    for _ in range(50):
        rate, first = rng.uniform(0.1, 10), float(rng.integers(-10, 10))
        frame, time = int(rng.integers(-100, 100)), rng.uniform(-50, 50)
        t0 = clock.start_time_for(frame, time, rate, first)
        assert np.isclose(clock.frame_to_time(frame, rate, first, t0), time)


def test_root_clock_reads_a_graph_rate_under_either_name():
    new = {clock.START_FRAME: 2.0, clock.FRAMES_PER_STEP: 3.0, clock.TIME_START: 1.0}
    old = {clock.START_FRAME: 2.0, clock.FRAMES_PER_MS: 3.0, clock.TIME_START: 1.0}
    assert clock.root_clock(new) == clock.root_clock(old) == (3.0, 2.0, 1.0)
    assert clock.rate_key(new) == clock.FRAMES_PER_STEP and clock.rate_key(old) == clock.FRAMES_PER_MS
