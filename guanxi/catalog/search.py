"""The text a product is found by: its code, names (English and Chinese), pinyin and pinyin initials.

As for parties (guanxi.parties.search, docs/subsystems/search.md), everything is stored in compact form
(guanxi.core.text.compact: NFKC, case-folded, simplified Chinese, letters and digits only) and what the user
types is compacted the same way: 不锈钢螺丝, 不銹鋼螺絲, "buxiugang", bxg and ＢＸＧ find the same screws.
The code is kept folded too (`code_key`: NFKC, case-folded, no spaces) for exact and prefix matches.
"""

from __future__ import annotations

from guanxi.core.text import compact, fold, pinyin, sort_key

SEP = "|"  # never part of a compact term, so a search cannot match across two pieces
SORT_KEY_LENGTH = 255


def code_key(code: str) -> str:
    """GX-1001, gx-1001 and ｇｘ－１００１ are one code."""
    return "".join(fold(code or "").split())


def search_fields(*, code: str, name_en: str, name_zh: str) -> tuple[str, str]:
    """(search_doc, sort_key) of a product."""
    parts = [compact(code), compact(name_en), compact(name_zh)]
    for name in (name_zh, name_en):
        full, initials = pinyin(name)
        parts += [full, initials]
    doc = SEP.join(dict.fromkeys(p for p in parts if p))
    return doc, sort_key(name_zh or name_en, SORT_KEY_LENGTH)
