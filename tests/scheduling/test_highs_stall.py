"""HiGHS on the target-hours level is stopped once its gap stops closing (run_highs's `stall`), so
the neighbourhood search gets the rest of the time; never in the first half of its time."""
from types import SimpleNamespace

from pulp.apis.highs import HiGHS

from scheduling.highs_run import _callback


def _events(gaps_at: list[tuple[float, float, float]], time_limit: float = 20.0, stall: float = 3.0,
            kind=None):
    """Feed MIP events (time, best plan, bound) to the callback; the first time it interrupts, or None."""
    on_event = _callback(None, time_limit, None, 1e-4, [False], stall)["callbackTuple"][0]
    for now, primal, dual in gaps_at:
        data_in = SimpleNamespace(user_interrupt=False)
        on_event(kind, "", SimpleNamespace(running_time=now, mip_primal_bound=primal, mip_dual_bound=dual),
                 data_in, None)
        if data_in.user_interrupt:
            return now
    return None


def test_a_gap_that_stops_closing_stops_highs_after_the_window():
    flat = [(t / 2, 1950.0, 1956.0) for t in range(41)]          # every 0.5 s for 20 s, gap 6 throughout
    assert _events(flat) == 10.0                                  # from half the time on, 3 s without progress


def test_a_gap_still_closing_keeps_highs_running():
    closing = [(t / 2, 1950.0, 1956.0 - 0.1 * t) for t in range(41)]   # 6 → 2: by more than a tenth each 3 s
    assert _events(closing) is None


def test_no_stop_before_half_the_time_nor_without_a_plan():
    flat_early = [(t / 2, 1950.0, 1956.0) for t in range(19)]    # up to 9 s of 20: too early
    assert _events(flat_early) is None
    no_plan = [(t / 2, float("-inf"), 1956.0) for t in range(41)]
    assert _events(no_plan) is None
    assert _events([(t / 2, 1950.0, 1956.0) for t in range(41)], stall=None) is None


def test_a_plan_still_improving_keeps_highs_running_though_the_bound_is_far():
    # the plan gains 20 a second (1 % of it), the bound 1000 away does not move: the gap closes by
    # only 6 % in 3 s, but HiGHS is still finding better plans
    improving = [(t / 2, 1000.0 + 10 * t, 3000.0) for t in range(41)]
    assert _events(improving) is None


def test_no_stop_is_asked_on_an_improving_plan_event_which_highs_would_ignore():
    flat = [(t / 2, 1950.0, 1956.0) for t in range(41)]
    assert _events(flat, kind=HiGHS.hscb.HighsCallbackType.kCallbackMipImprovingSolution) is None
