"""Back-off for wrong keys and passwords, per client: guessing a key costs time, not just requests.

A client whose credentials fail `free_failures` times in a row is refused (429, Retry-After) for a
back-off that doubles with each further failure, up to `max_backoff_s`; a success forgets it.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0


class FailureThrottle:
    def __init__(self, free_failures: int = 5, base_backoff_s: float = 1.0, max_backoff_s: float = 300.0,
                 max_clients: int = 10_000) -> None:
        self.free_failures, self.base_backoff_s, self.max_backoff_s = free_failures, base_backoff_s, max_backoff_s
        self.max_clients = max_clients
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds the client must still wait (0: it may try now)."""
        with self._lock:
            record = self._records.get(client)
            wait = record.blocked_until - time.monotonic() if record else 0.0
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, client: str) -> None:
        with self._lock:
            if client not in self._records and len(self._records) >= self.max_clients:
                self._forget_oldest()
            record = self._records.setdefault(client, _Record())
            record.failures += 1
            over = record.failures - self.free_failures
            if over >= 0:
                backoff = min(self.max_backoff_s, self.base_backoff_s * 2 ** min(over, 30))
                record.blocked_until = time.monotonic() + backoff

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)

    def _forget_oldest(self) -> None:
        """Bound the memory a flood of client addresses can take: the least recently blocked go first."""
        for client, _ in sorted(self._records.items(), key=lambda item: item[1].blocked_until)[: self.max_clients // 10]:
            del self._records[client]
