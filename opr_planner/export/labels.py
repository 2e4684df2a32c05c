"""Where the network picture's labels go: next to their node, never over another label or
node, never cut off, never shortened.

A label is a box estimated from its text (an average character width for the report's
sans-serif font); long names are wrapped onto two or three lines instead of being cut
with an ellipsis. Each label tries eight places around its node (below first) and takes
the first that overlaps nothing placed so far (then the same eight a little further
out), or else the one that overlaps least.
Partnerships are placed first (they matter most), then regions, then organisations. The
picture's view box then grows to hold every label, so nothing is cut off at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHAR_WIDTH = 0.58  # average advance of a character, in font sizes (system sans-serif)
LINE_HEIGHT = 1.2
GAP = 4.0  # between a node and its label
WRAP_AT = 22  # characters per line before a label is wrapped
PADDING = 6.0


@dataclass(frozen=True)
class Box:
    x: float  # left
    y: float  # top
    w: float
    h: float

    def overlap(self, other: Box) -> float:
        """Area shared with `other` (0 when they do not touch)."""
        dx = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        dy = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        return dx * dy if dx > 0 and dy > 0 else 0.0


@dataclass(frozen=True)
class Label:
    """A placed label: its lines, the x of their left edge, the baseline of the first line."""

    lines: tuple[str, ...]
    x: float
    y: float
    size: float
    box: Box


@dataclass(frozen=True)
class Item:
    """A node to label: centre, half its size (the node's own box), text and font size."""

    x: float
    y: float
    radius: float
    text: str
    size: float


def wrap(text: str, width: int = WRAP_AT) -> tuple[str, ...]:
    """`text` on lines of about `width` characters, broken at spaces (a long word stays whole)."""
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return (text,)
    lines: list[str] = []
    current = ""
    for w in words:
        if current and len(current) + 1 + len(w) > width:
            lines.append(current)
            current = w
        else:
            current = f"{current} {w}" if current else w
    lines.append(current)
    return tuple(lines)


def _box_for(item: Item, lines: Sequence[str], dx: int, dy: int, ring: float) -> tuple[Box, float, float]:
    """The label box on side (dx, dy) of the node (-1, 0 or 1 each), `ring` gaps away, and
    its text origin."""
    w = max(len(line) for line in lines) * CHAR_WIDTH * item.size
    h = len(lines) * LINE_HEIGHT * item.size
    reach = item.radius + GAP * ring
    if dx == 0:
        left = item.x - w / 2
    elif dx > 0:
        left = item.x + reach
    else:
        left = item.x - reach - w
    if dy == 0:
        top = item.y - h / 2
    elif dy > 0:
        top = item.y + reach
    else:
        top = item.y - reach - h
    box = Box(round(left, 1), round(top, 1), round(w, 1), round(h, 1))
    baseline = top + item.size * 0.95  # the first line's baseline: about one ascent below the top
    return box, round(left, 1), round(baseline, 1)


# Below, above, right, left, then the corners: readable first; then the same further out.
SIDES = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
RINGS = (1.0, 3.0, 6.0)


def place(items: Sequence[Item]) -> list[Label]:
    """A label for every item, in order, each where it overlaps least (see the module doc)."""
    obstacles = [Box(i.x - i.radius, i.y - i.radius, 2 * i.radius, 2 * i.radius) for i in items]
    placed: list[Label] = []
    for item in items:
        lines = wrap(item.text)
        best: tuple[float, Box, float, float] | None = None
        for ring in RINGS:
            for dx, dy in SIDES:
                box, x, y = _box_for(item, lines, dx, dy, ring)
                cost = sum(box.overlap(o) for o in obstacles) + sum(box.overlap(p.box) for p in placed)
                if best is None or cost < best[0]:
                    best = (cost, box, x, y)
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        _, box, x, y = best
        placed.append(Label(lines, x, y, item.size, box))
    return placed


def bounds(labels: Sequence[Label], items: Sequence[Item], width: float, height: float) -> Box:
    """The view box: the picture's own area grown to hold every label and node, with padding."""
    boxes = [lab.box for lab in labels] + [
        Box(i.x - i.radius, i.y - i.radius, 2 * i.radius, 2 * i.radius) for i in items
    ]
    left = min([0.0, *(b.x - PADDING for b in boxes)])
    top = min([0.0, *(b.y - PADDING for b in boxes)])
    right = max([width, *(b.x + b.w + PADDING for b in boxes)])
    bottom = max([height, *(b.y + b.h + PADDING for b in boxes)])
    return Box(round(left, 1), round(top, 1), round(right - left, 1), round(bottom - top, 1))
