"""The UNIPEN pen digits (`../shared/data/pen_digits/dev.jsonl.gz`, train_r01_v07, CC BY 4.0):
which writers may train, and which are kept out for validation.

The validation writers were chosen once, on 2026-12-02, by writer and not by
digit, so that no validation writer's hand is ever seen in training: every
writer whose name's SHA-256 starts with a byte divisible by 5. That gave 25 of
the 128 writers (1,599 of the 5,899 digits), from five of the six
contributors. They are listed here so that the split never moves, whatever
the file's order or a change of rule. The check set that ships with the app
(assets/check_set.jsonl.gz) takes its digits from these writers only.
"""

from __future__ import annotations

VALIDATION_WRITERS = frozenset(
    {
        "aga/crlmtchl", "aga/drdvlllb", "imp/jennings", "imp/leaver", "imp/lloyd", "imp/manikas", "imp/marquis",
        "imp/pugsley", "imp/shah", "syn/jab-dig9", "syn/jcp-dig11", "syn/rcw-dig15", "tos/1007", "tos/1041",
        "tos/1052", "tos/2034", "tos/2041", "tos/2044", "tos/2059", "tos/2067", "tos/3014", "tos/3026",
        "tos/3042", "tos/3067", "tos/3073",
    }
)  # fmt: skip


def is_validation_writer(writer: str) -> bool:
    return writer in VALIDATION_WRITERS
