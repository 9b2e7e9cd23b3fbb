"""What the encoder holds while a request is out: the request, not its points twice."""

from __future__ import annotations

from collections import Counter

from central_otel.export.encoder import MAX_REQUEST_BYTES, MAX_REQUEST_POINTS, EncodeLimits
from tests.export_support import encoder, filled_store, received


def test_the_point_buffers_are_empty_whenever_a_request_is_handed_out() -> None:
    # Several requests per flush (a point limit of 50): each is built from the
    # buffers, which are emptied before the first of them is sent.
    store = filled_store()
    enc = encoder(limits=EncodeLimits(max_points=50))
    whole = encoder().encode([store])
    requests: list[bytes] = []
    pending: list[int] = []
    for body, points in enc.encode_iter([store]):
        pending.append(enc.pending_bytes)
        requests.append(body)
        assert points <= 50
    assert len(requests) == -(-whole.total_points // 50)
    assert pending == [0] * len(requests)
    assert _points(requests) == _points(whole.requests)


def _points(requests: list[bytes]) -> Counter[tuple[str, str, float | int | None]]:
    return Counter(
        (p.name, repr(sorted(p.attributes.items())), p.value) for p in received(requests)
    )


def test_requests_are_cut_at_two_mib_by_default() -> None:
    # Eight estates' points (~15 k, ~5 MiB encoded): the byte limit, not the point
    # limit, cuts them, and nothing is lost at the cuts.
    assert MAX_REQUEST_BYTES == 2 * 1024 * 1024
    stores = [filled_store(f"Customer{n}", seed=f"cut{n}") for n in range(8)]
    whole = encoder().encode(stores)
    sizes = [len(body) for body in whole.requests]
    assert len(sizes) >= 3
    assert max(sizes) <= MAX_REQUEST_BYTES
    assert max(sizes) > MAX_REQUEST_BYTES - 16 * 1024
    assert all(points < MAX_REQUEST_POINTS for points in whole.points)
    assert sum(whole.points) == whole.total_points == len(received(whole.requests))
