"""How the CP-SAT model grows with participants x reviews (builds models, does not solve).

    python benchmarks/model_size.py                   # the default series
    python benchmarks/model_size.py --tiers regional,medium --markdown /tmp/sizes.md

For each generated scenario it prints the size drivers (reviews R, mean candidates per
review C, mean possible dates per review D, partnerships P, regions G), the estimates
of docs/performance.md (x ~ R*C, y ~ R*D, pair indicators ~ R*(P^2 + G^2)/2 and the
same count from the actual candidates), the model's variables by name prefix, its
total variables and constraints, and the seconds to compile and build it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from math import comb
from pathlib import Path
from typing import Any

from tiers import select

# A series over the number of partnerships (one review each, 26 people each), besides the tiers.
SERIES: dict[str, dict[str, int]] = {
    f"P={p}": {
        "partnerships": p,
        "regions": min(50, p + 4),
        "participants_per_partnership": 26,
        "unaffiliated": max(6, p + p // 2),
    }
    for p in (3, 6, 12, 24, 40)
}
DEFAULT = "regional-3,regional-6,medium,P=6,P=24,P=40"
HEADERS = [
    "scenario", "people", "R", "C", "D", "P", "G",
    "R*C", "R*D", "R*(P^2+G^2)/2", "pairs (actual)",
    "x", "y", "pair vars", "relaxed", "variables", "constraints", "build s",
]  # fmt: skip


def _yes_no(value: object) -> str:
    return "-" if value is None else "yes" if value else "no"


def measure(name: str, kwargs: dict[str, int], seed: int) -> dict[str, Any]:
    from opr_planner.scenario.generate import generate
    from opr_planner.scenario.load import scenario_from_data
    from opr_planner.solver.compile import compile_scenario
    from opr_planner.solver.model import PlanModel

    scenario = scenario_from_data(generate(**kwargs, seed=seed))
    start = time.perf_counter()
    data = compile_scenario(scenario)
    model = PlanModel(data)
    seconds = time.perf_counter() - start
    proto = model.m.proto
    reviews = data.reviews
    r = len(reviews)
    c = sum(len(x.candidates) for x in reviews) / max(1, r)
    d = sum(len(x.dates) for x in reviews) / max(1, r)
    p, g = len(data.partnerships), len(data.regions)
    actual_pairs = 0
    for x in reviews:
        parts = {data.people[i].partnership for i in x.candidates if data.people[i].partnership >= 0}
        regions = {data.people[i].region for i in x.candidates}
        actual_pairs += comb(len(parts), 2) + comb(len(regions), 2)
    prefixes = Counter(v.name.split("_")[0] for v in proto.variables)
    return {
        "scenario": name,
        "people": len(data.people),
        "R": r,
        "C": round(c),
        "D": round(d),
        "P": p,
        "G": g,
        "R*C": round(r * c),
        "R*D": round(r * d),
        "R*(P^2+G^2)/2": r * (p * p + g * g) // 2,
        "pairs (actual)": actual_pairs,
        "x": prefixes.get("x", 0),
        "y": prefixes.get("y", 0),
        "pair vars": prefixes.get("cm", 0) + prefixes.get("rl", 0),
        "relaxed": _yes_no(getattr(model, "relaxed_pairs", None)),
        "variables": len(proto.variables),
        "constraints": len(proto.constraints),
        "build s": round(seconds, 1),
        "by prefix": dict(sorted(prefixes.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--tiers", default=DEFAULT, help=f"comma list of tiers and series points ({', '.join(SERIES)})"
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--markdown", type=Path, help="also write the table as markdown to this file")
    args = parser.parse_args(argv)
    chosen: list[tuple[str, dict[str, int]]] = []
    for word in (w.strip() for w in args.tiers.split(",") if w.strip()):
        if word in SERIES:
            chosen.append((word, SERIES[word]))
            continue
        try:
            chosen += [(t.name, t.generate) for t in select(word)]
        except ValueError as exc:
            parser.error(f"{exc}, or a series point: {', '.join(SERIES)}")
    rows = []
    for name, kwargs in chosen:
        print(f"building {name} ...", file=sys.stderr, flush=True)
        rows.append(measure(name, kwargs, args.seed))
    body = [[f"{row[h]:,}" if isinstance(row[h], int) else str(row[h]) for h in HEADERS] for row in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(HEADERS)]
    print("  ".join(h.rjust(w) for h, w in zip(HEADERS, widths)))
    for b in body:
        print("  ".join(v.rjust(w) for v, w in zip(b, widths)))
    print()
    for row in rows:
        print(f"{row['scenario']}: " + ", ".join(f"{k} {v:,}" for k, v in row["by prefix"].items()))
    if args.markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---:" for _ in HEADERS) + "|"]
        lines += ["| " + " | ".join(b) + " |" for b in body]
        from opr_planner.io.fileio import write_atomic

        write_atomic(args.markdown, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
