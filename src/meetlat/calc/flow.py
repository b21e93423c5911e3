"""A small maximum-flow network (Edmonds–Karp), pure Python.

The fieldwork planner uses it to match calls to weeks and to auditors under capacities. The
graphs are tiny (tens of nodes), so clarity wins over speed. Nodes are any hashable values;
edges are searched in the order they were added, so the result is deterministic.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from typing import Generic, TypeVar

N = TypeVar("N", bound=Hashable)


class FlowNetwork(Generic[N]):
    def __init__(self) -> None:
        self._residual: dict[N, dict[N, int]] = {}
        self._capacity: dict[tuple[N, N], int] = {}

    def add_edge(self, source: N, target: N, capacity: int) -> None:
        """Add ``capacity`` to the edge source → target (edges of capacity ≤ 0 are left out)."""
        if capacity <= 0:
            return
        self._residual.setdefault(source, {}).setdefault(target, 0)
        self._residual.setdefault(target, {}).setdefault(source, 0)
        self._residual[source][target] += capacity
        self._capacity[(source, target)] = self._capacity.get((source, target), 0) + capacity

    def _augmenting_path(self, source: N, sink: N) -> dict[N, N] | None:
        parents: dict[N, N] = {}
        queue: deque[N] = deque([source])
        seen = {source}
        while queue:
            node = queue.popleft()
            for nxt, room in self._residual.get(node, {}).items():
                if room > 0 and nxt not in seen:
                    seen.add(nxt)
                    parents[nxt] = node
                    if nxt == sink:
                        return parents
                    queue.append(nxt)
        return None

    def max_flow(self, source: N, sink: N) -> int:
        """Push as much flow as possible from ``source`` to ``sink``; returns the amount."""
        total = 0
        while (parents := self._augmenting_path(source, sink)) is not None:
            path: list[tuple[N, N]] = []
            node = sink
            while node != source:
                path.append((parents[node], node))
                node = parents[node]
            push = min(self._residual[u][v] for u, v in path)
            for u, v in path:
                self._residual[u][v] -= push
                self._residual[v][u] += push
            total += push
        return total

    def flow(self, source: N, target: N) -> int:
        """The flow on the edge source → target after :meth:`max_flow`."""
        capacity = self._capacity.get((source, target), 0)
        return capacity - self._residual.get(source, {}).get(target, 0) if capacity else 0
