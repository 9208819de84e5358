"""When this process started, on the time.monotonic() clock.

A command's time limit counts from there, so the interpreter's start-up and reading the
instance file count as well (a 3000-worker pool: ~1.7 s before the planner's own clock
started).
"""
from __future__ import annotations

import os
import time


def process_started() -> float:
    """time.monotonic() at this process's start; now, where /proc cannot tell (not Linux)."""
    now = time.monotonic()
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")   # field 22: starttime
    except (OSError, ValueError, IndexError):
        return now
    return now - max(0.0, age)
