"""The bounds of the weeks, computed in a second process while the first one plans.

A week too large for one MIP is planned region by region, so its bound comes only from a
relaxation: the conflict-clique LP of a 1000-worker peak week takes 7-9 s, of a
3000-worker one about 127 s on one thread, and in-line it took a quarter of each week's
time without improving the plan by an hour. A week that cannot fill every shift gets the
Lagrangian bound (scheduling.lagrangian) on top, tighter by 1.5-2 % at a peak and 3-13 s
for a 300- or 1000-worker week. HiGHS's MIP search runs on one core, so the second core of
the budget computes these bounds (one HiGHS thread) while the first one plans. Each week's
result arrives as soon as it is done, each looser bound before a tighter one is tried; a
week with no LP done when the plan is gives no bound. With its final bound a week that
cannot fill every shift also sends the pairs of its LP and of its workers' best weeks in
the Lagrangian bound, over which the first process plans that week again (decompose).
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

from scheduling.instance import Instance


class BackgroundBounds:
    """relaxed_bound of each of `weeks` (sub-instances) in a child process, until `deadline`
    (time.monotonic, the same clock in every process). The child is a plain
    `python -m scheduling.bound_process` fed by a pipe, not multiprocessing: a spawned
    multiprocessing child re-imports the caller's main script, which hangs a script that
    calls the planner without an `if __name__ == "__main__"` guard."""

    def __init__(self, weeks: list[Instance], deadline: float):
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [package_root] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        self.bounds: list[float | None] = [None] * len(weeks)
        self.notes: list[str] = ["not computed"] * len(weeks)
        # per week, once final: (worker id, shift id) pairs worth planning over (see main)
        self.support: list[list[tuple[str, str]]] = [[] for _ in weeks]
        self._waiting = set(range(len(weeks)))
        self._arrived = threading.Condition()
        self._ended = False
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scheduling.bound_process"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        # fed from a thread: the pipe takes the pickle only as fast as the child starts
        threading.Thread(target=self._feed, args=(weeks, deadline), daemon=True).start()
        # and read by one as it writes: a week's support (~300 kB at 1000 workers) does not
        # fit in the pipe, and the child must not wait for the planner to ask for it
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _feed(self, weeks: list[Instance], deadline: float) -> None:
        try:
            pickle.dump((weeks, deadline), self._process.stdin)
            self._process.stdin.close()
        except (OSError, ValueError):   # the child died or was stopped: no bounds come
            pass

    def collect(self, until: float) -> list[float | None]:
        """The bounds that arrive before `until`; then the child is stopped."""
        self._read(until, lambda: not self._waiting)
        self.close()
        for i in self._waiting:
            if self.bounds[i] is None:
                self.notes[i] = "none: its LP was not done when the plan was"
        return self.bounds

    def wait_for(self, week: int, until: float) -> list[tuple[str, str]] | None:
        """Week `week`'s support pairs once its final bound has arrived (waiting until
        `until` at most), or None; the child goes on with the other weeks."""
        self._read(until, lambda: week not in self._waiting)
        return None if week in self._waiting else self.support[week]

    def _read(self, until: float, done) -> None:
        """Wait until `done()`, `until` or the child's end."""
        with self._arrived:
            while not done() and not self._ended:
                left = until - time.monotonic()
                if left <= 0:
                    break
                self._arrived.wait(left)

    def _pump(self) -> None:
        """The reader thread: take in the child's lines as they come."""
        try:
            for line in self._process.stdout:
                i, value, note, final, support = json.loads(line)
                with self._arrived:
                    if value is not None or final:
                        self.bounds[i], self.notes[i] = value, note
                    if final:
                        self.support[i] = [tuple(pair) for pair in support]
                        self._waiting.discard(i)
                    self._arrived.notify_all()
        except (OSError, ValueError):   # stopped while reading
            pass
        with self._arrived:
            self._ended = True
            self._arrived.notify_all()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join(timeout=5)
        self._process.stdout.close()


def main() -> None:
    """The child: read (weeks, deadline) pickled on stdin, write one JSON line per week."""
    from scheduling.decompose import relaxed_bound
    from scheduling.model_data import build_model_data

    weeks, deadline = pickle.load(sys.stdin.buffer)
    for i, week in enumerate(weeks):
        data = build_model_data(week)
        notes: list[str] = []
        support: set[tuple[int, int]] = set()
        left = (deadline - time.monotonic()) / (len(weeks) - i)
        value = relaxed_bound(data, left, threads=1, note=notes.append, lagrangian=True,
                              support=support,
                              provisional=lambda value, i=i: _send(
                                  i, value, f"{value:.1f} (an LP; a tighter bound was not "
                                  "done when the plan was)", final=False))
        pairs = [(data.inst.workers[w].id, data.inst.shifts[s].id) for w, s in sorted(support)]
        _send(i, value, notes[-1] if notes else "none", final=True, support=pairs)
        del data


def _send(week: int, value: float | None, note: str, final: bool,
          support: list[tuple[str, str]] = ()) -> None:
    print(json.dumps([week, value, note, final, list(support)]), flush=True)


if __name__ == "__main__":
    main()
