"""Wrong credentials back off per client: a few are free, then each failure doubles the wait."""

from __future__ import annotations

import pytest

from assistant import throttle as throttle_module
from assistant.throttle import FailureThrottle


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(throttle_module.time, "monotonic", lambda: now[0])
    return now


def test_the_wait_doubles_after_the_free_failures_and_is_capped(clock: list[float]) -> None:
    throttle = FailureThrottle(free_failures=3, base_backoff_s=1, max_backoff_s=8)
    waits = []
    for _ in range(8):
        throttle.failed("10.0.0.1")
        waits.append(throttle.retry_after("10.0.0.1"))
    assert waits == [0, 0, 1, 2, 4, 8, 8, 8]
    assert throttle.retry_after("10.0.0.2") == 0  # another client is not held up
    clock[0] += 8
    assert throttle.retry_after("10.0.0.1") == 0


def test_a_success_forgets_the_failures(clock: list[float]) -> None:
    throttle = FailureThrottle(free_failures=2)
    throttle.failed("a")
    throttle.succeeded("a")
    throttle.failed("a")
    assert throttle.retry_after("a") == 0


def test_a_flood_of_addresses_takes_bounded_memory(clock: list[float]) -> None:
    throttle = FailureThrottle(max_clients=100)
    for n in range(1_000):
        throttle.failed(f"client-{n}")
    assert len(throttle._records) <= 100
