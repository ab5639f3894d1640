"""The text a party is found by: names, pinyin, pinyin initials, identifiers, emails, phone digits.

Everything is stored in compact form (guanxi.core.text.compact: NFKC, case-folded, simplified Chinese,
letters and digits only) on the party (`search_doc`, `search_short`), and what the user types is compacted
the same way, so 腾讯科技（深圳） finds 腾讯科技(深圳), "hua wei" and ＨＷ find 华为. The name keys
(`name_key`, `core_key`, `sort_key`) serve exact and prefix matches, duplicate checks and sorting.
See docs/subsystems/search.md for the indexes and plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from guanxi.core.text import compact, fold, has_cjk, pinyin, sort_key

_PHONE_LIKE = re.compile(r"^\+?[\d\s\-()./]{5,}$")
SEP = "|"  # never part of a compact term, so a search cannot match across two pieces
NAME_KEY_LENGTH = 200
SORT_KEY_LENGTH = 255

# Legal forms left out of the core of a name: "Acme Trading Co., Ltd." and "Acme Trading Limited" are
# the same company to a duplicate check; so are 华为技术有限公司 and 华为技术股份有限公司.
_LEGAL_FORMS = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|集团|公司|分公司|\b(co|ltd|limited|inc|llc|gmbh|corp|corporation|company|"
    r"plc|ag|sa|group|pte|bv|srl|spa)\b\.?)",
    re.IGNORECASE,
)


def pinyin_forms(text: str) -> tuple[str, str]:
    """('huaweijishu', 'hwjs') for '华为技术'; empty strings when there is no Chinese."""
    return pinyin(text)


def name_keys(name: str) -> tuple[str, str, str]:
    """(name_key, core_key, sort_key) of a party name."""
    key = compact(name)[:NAME_KEY_LENGTH]
    core = compact(_LEGAL_FORMS.sub(" ", fold(name)))[:NAME_KEY_LENGTH] or key
    return key, core, sort_key(name, SORT_KEY_LENGTH)


def build_search_fields(
    *,
    names: list[str],
    identifiers: list[str],
    emails: list[str],
    phones_e164: list[str],
    pinyin_of=pinyin,
) -> tuple[str, str]:
    """(search_doc, search_short). `pinyin_of` lets a bulk loader pass a bigger pinyin cache."""
    names = [n for n in names if n and n.strip()]
    keys = [k for k in (compact(n) for n in names) if k]
    full, initials = [], []
    for n in names:
        f, i = pinyin_of(n)
        if f:
            full.append(f)
            initials.append(i)
    short = SEP.join(dict.fromkeys(keys + initials))
    doc_parts = keys + full + initials + [compact(i) for i in identifiers] + [compact(e) for e in emails]
    doc_parts += [p.split(";")[0].lstrip("+") for p in phones_e164]
    return SEP.join(dict.fromkeys(p for p in doc_parts if p)), short[:500]


GRAM_PREFIX = 12  # PartyGram.sort_prefix: the start of the sort key


def _pairs(text: str):
    return (text[i : i + 2] for i in range(len(text) - 1))


def search_grams(names: list[str], pinyin_of=pinyin) -> set[str]:
    """The 2-character pieces a party is posted under (PartyGram): those of its names with a Chinese
    character in them (科技, 华为) and those of their pinyin initials (hw). Latin names are left out: their
    short searches go through the n-gram index, and their prefixes through the sort key."""
    grams: set[str] = set()
    for name in names:
        if not name or not has_cjk(name):
            continue
        key = compact(name)
        grams.update(g for g in _pairs(key) if has_cjk(g))
        grams.update(_pairs(pinyin_of(name)[1]))
    return grams


def query_grams(term: str) -> list[str]:
    """The grams a compact search term can be looked up by in PartyGram (empty: it cannot)."""
    if has_cjk(term):
        return sorted({g for g in _pairs(term) if has_cjk(g)})
    if len(term) == 2 and term.isascii() and term.isalpha():
        return [term]  # pinyin initials: hw
    return []


@dataclass(frozen=True)
class SearchQuery:
    text: str  # the compact term matched against search_doc / search_short ("" = no search)
    folded: str = ""  # the typed text folded: exact e-mail matches
    phone: str = ""  # E.164 when the text reads as a whole phone number: exact phone matches
    identifier: str = ""  # upper-case compact form: exact identifier matches

    def __bool__(self) -> bool:
        """True when something was typed, even if only punctuation (which then matches nothing)."""
        return bool(self.folded)


def parse_query(q: str) -> SearchQuery:
    """What a typed search looks for. A phone number (5+ digits) is matched by its digits, without a
    national trunk 0 or an international 00 / +: '0755-2878 0808', '+86 755 2878 0808' and
    '0086 755 2878 0808' all find +86 755 2878 0808."""
    folded = fold(q or "")[:100]
    if not folded:
        return SearchQuery("")
    if _PHONE_LIKE.match(folded) and sum(c.isdigit() for c in folded) >= 5:
        digits = re.sub(r"\D", "", folded)
        international = folded.startswith("+") or digits.startswith("00")
        digits = digits[2:] if digits.startswith("00") else digits
        exact = ""
        try:
            number = phonenumbers.parse(
                ("+" if international else "") + digits, None if international else "CN"
            )
            if phonenumbers.is_valid_number(number):
                exact = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
        if international and digits.startswith("860"):  # +86 (0)755 …: the trunk 0 is not in the E.164 form
            digits = "86" + digits[3:]
        elif not international and digits.startswith("0") and len(digits) > 6:
            digits = digits[1:]  # national trunk prefix: 010-... is stored as 8610...
        return SearchQuery(digits, folded, exact, digits)
    term = compact(folded)
    return SearchQuery(term, folded, "", term.upper())


def normalize_query(q: str) -> str:
    """The compact term of a typed search (see parse_query)."""
    return parse_query(q).text


__all__ = [
    "SEP",
    "SearchQuery",
    "build_search_fields",
    "name_keys",
    "normalize_query",
    "parse_query",
    "query_grams",
    "search_grams",
]
