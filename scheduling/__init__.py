"""The planner: plain dataclasses in, plain dataclasses out (PuLP + HiGHS)."""
