"""The worker's own open shifts: those they may take, and taking one."""
