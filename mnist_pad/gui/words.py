"""Words for counts, said right: "1 sample", "2 samples"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, plural unless it is one: counted(1, "sample") -> "1 sample"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
