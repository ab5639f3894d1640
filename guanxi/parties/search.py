"""The text a party is found by: names, pinyin, pinyin initials, identifiers, emails, phone digits.

Everything is lower-cased and stored on the party (`search_doc`, `search_short`), so one indexed
column answers every kind of search. See docs/subsystems/search.md for the indexes and plans.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-()]{5,}$")
SEP = " | "


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=4096)
def pinyin_forms(text: str) -> tuple[str, str]:
    """('huaweijishu', 'hwjs') for '华为技术'; empty strings when there is no Chinese."""
    if not has_cjk(text):
        return "", ""
    han = "".join(_CJK.findall(text))
    full = "".join(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore"))
    return full.lower(), initials.lower()


def build_search_fields(
    *,
    names: list[str],
    identifiers: list[str],
    emails: list[str],
    phones_e164: list[str],
    pinyin_of=pinyin_forms,
) -> tuple[str, str]:
    """(search_doc, search_short). `pinyin_of` lets a bulk loader pass a bigger pinyin cache."""
    names = [n.strip().lower() for n in names if n and n.strip()]
    pinyin, initials = [], []
    for n in names:
        full, ini = pinyin_of(n)
        if full:
            pinyin.append(full)
            initials.append(ini)
    short = SEP.join(dict.fromkeys(names + initials))
    doc_parts = names + pinyin + initials + [i.lower() for i in identifiers] + [e.lower() for e in emails]
    doc_parts += [p.lstrip("+") for p in phones_e164]
    return SEP.join(dict.fromkeys(doc_parts)), short[:500]


def normalize_query(q: str) -> str:
    """What a typed search looks for: lower-case, single spaces; a phone number as its digits."""
    q = " ".join((q or "").split()).lower()[:100]
    if _PHONE_LIKE.match(q) and sum(c.isdigit() for c in q) >= 5:
        q = re.sub(r"\D", "", q)
        if q.startswith("860"):  # +86 (0)755 …: the trunk 0 is not part of the international number
            q = "86" + q[3:]
        elif q.startswith("0") and len(q) > 6:  # national trunk prefix: 010-... is stored as 8610...
            q = q[1:]
    return q
