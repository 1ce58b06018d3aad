"""Peak resident memory of this process and its children (the Spark JVM), sampled from /proc."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def _tree_rss_kib(root: int) -> int:
    children: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(p.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Context manager: `.peak_mib` after exit."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval, self.peak_kib, self._stop = interval, 0, threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()

    @property
    def peak_mib(self) -> float:
        return round(self.peak_kib / 1024, 1)
