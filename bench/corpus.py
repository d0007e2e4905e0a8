"""Make N distinct fictional plan PDFs for benchmarks (cached under bench/.corpus)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_sample_plans as M  # noqa: E402


def corpus(n: int) -> Path:
    folder = ROOT / "bench" / ".corpus" / f"{n}"
    folder.mkdir(parents=True, exist_ok=True)
    have = len(list(folder.glob("*.pdf")))
    if have >= n:
        return folder
    for i in range(have, n):
        name, style, quality, (phase, *_rest) = M.PLANS[i % len(M.PLANS)]
        rng = random.Random(f"bench-{i}")
        blocks = M.build_blocks(style, quality, rng)
        # Make every file distinct (different sha256) without changing its shape.
        blocks[0].paragraphs = blocks[0].paragraphs + [f"Benchmark plan {i}."]
        M.render(folder / f"bench-{i:04d}.pdf", style, blocks, {"phase": phase}, rng)
    return folder
