"""Text for matching and sorting, normalized once, the same way for search, duplicate checks and sorting.

* ``fold``: Unicode NFKC (full-width letters, digits, punctuation and spaces become their usual forms:
  ``（深圳）`` → ``(深圳)``, ``ＨＷ`` → ``HW``), case folding, traditional → simplified Chinese (OpenCC
  ``t2s``: ``騰訊`` → ``腾讯``), runs of white space as one space.
* ``compact``: the folded text with everything but letters and digits removed (CJK characters are letters):
  ``腾讯科技（深圳）有限公司`` and ``腾讯科技(深圳)有限公司`` both give ``腾讯科技深圳有限公司``;
  ``hua'wei`` and ``hua wei`` give ``huawei``. What search and duplicate checks compare.
* ``pinyin``: ``('huaweijishu', 'hwjs')`` for 华为技术; what Latin letters typed for Chinese names match.
* ``sort_key``: Chinese names sort by their pinyin among Latin names (阿里巴巴 under A, 华为 under H).

Apps with names to find (parties, products) build their search columns from these functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_ALNUM = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_t2s = OpenCC("t2s")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """NFKC, case-folded, simplified Chinese, single spaces, stripped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold()
    if has_cjk(text):
        text = _t2s.convert(text)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """fold() with everything but letters and digits removed."""
    return _NOT_ALNUM.sub("", fold(text))


@lru_cache(maxsize=8192)
def pinyin(text: str) -> tuple[str, str]:
    """('huaweijishu', 'hwjs') for '华为技术' (its Chinese characters only); ('', '') without Chinese."""
    folded = fold(text)
    if not has_cjk(folded):
        return "", ""
    han = "".join(_CJK.findall(folded))
    full = "".join(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore"))
    return full.lower(), initials.lower()


@lru_cache(maxsize=8192)
def sort_key(text: str, max_length: int = 255) -> str:
    """How a name sorts: Chinese characters by their pinyin, among Latin letters; then the name itself,
    so homophones and equal spellings keep a stable order. '华为技术' -> 'huaweijishu 华为技术'."""
    key = compact(text)
    if not key.isascii():  # Ölfabrik sorts with O, not after Z
        key = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    if has_cjk(key):
        spelled = "".join(
            lazy_pinyin(key, style=Style.NORMAL, errors=lambda chars: chars)  # keep non-Chinese as is
        )
        key = f"{spelled.lower()} {key}"
    return key[:max_length]
