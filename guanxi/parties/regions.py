"""China's administrative divisions (GB/T 2260): province → city → district, and what people type for them.

The table (guanxi/parties/data/cn_divisions.json, ~3,200 rows of 6-digit code and name) is read once, on
first use. docs/subsystems/addresses.md says where it comes from and how to refresh it.

The picker tree differs from the raw code table in two documented places:
- the four municipalities (北京, 天津, 上海, 重庆) have one city, named like the municipality and coded
  xx0100; the code table's "市辖区" and "县" rows are folded into it (重庆's counties included);
- the county-level cities and districts "directly under the province" (省直辖县级行政区划: 济源, 仙桃,
  五指山, 石河子 …) are cities of their province, with no district below them.
Hong Kong, Macau and Taiwan are not in the table: their addresses take the country HK, MO or TW.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

DATA_FILE = Path(__file__).parent / "data" / "cn_divisions.json"

PROVINCE, CITY, DISTRICT = 1, 2, 3
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})

# Places people name as if they were provinces of China, but that this table (and ISO 3166) keeps apart.
OUTSIDE_TABLE = {
    "香港": "HK",
    "hongkong": "HK",
    "澳门": "MO",
    "澳門": "MO",
    "macau": "MO",
    "macao": "MO",
    "台湾": "TW",
    "臺灣": "TW",
    "台灣": "TW",
    "taiwan": "TW",
}

_ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|"
    "东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|"
    "俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(?:区|州|县|旗)$")
# Longest first: 自治区 before 区.
_SUFFIXES = tuple(
    re.findall(r"\S+", "特别行政区 自治区 自治州 自治县 自治旗 地区 林区 特区 省 市 盟 区 县 旗")
)
# pypinyin reads a few place names the everyday way, not the place's way.
_PINYIN_FIXES = {
    "长治": ("chang", "zhi"),
    "朝阳": ("chao", "yang"),
    "漯河": ("luo", "he"),
    "单县": ("shan", "xian"),
}
# English names people use besides the pinyin.
_ENGLISH = {
    "610000": ("shaanxi",),
    "150000": ("innermongolia", "neimongol"),
    "540000": ("tibet",),
    "110000": ("peking",),
}
_LABEL_FIXES = {"610000": "Shaanxi"}  # 山西 and 陕西 are both "Shanxi" in plain pinyin
# Words after a name in English or pinyin that do not tell places apart ("Guangdong Province").
_GENERIC_WORDS = frozenset(
    re.findall(
        r"\w+",
        "province city district county prefecture municipality region autonomous sar special administrative "
        "league banner area shi sheng qu xian zizhiqu zizhizhou diqu",
    )
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str  # the official name: 广东省, 深圳市, 南山区 (a municipality's city: 北京市)
    level: int  # PROVINCE, CITY or DISTRICT
    parent: str  # the code of the division above it in the picker ("" for a province)
    short: str  # the name without its generic ending: 广东, 深圳, 南山

    @property
    def latin(self) -> str:
        """The name in Latin letters, for people who do not read Chinese: Guangdong, Shenzhen."""
        return _LABEL_FIXES.get(self.code) or _pinyin_cached(self.short).capitalize()


def short_name(name: str) -> str:
    """广东省 → 广东, 恩施土家族苗族自治州 → 恩施, 神农架林区 → 神农架; a name that would lose too much stays."""
    m = _AUTONOMOUS.match(name) if "自治" in name else None
    if m:
        return m.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _syllables(text: str) -> list[str]:
    if text in _PINYIN_FIXES:
        return list(_PINYIN_FIXES[text])
    return [w.lower() for w in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")]


def _pinyin(text: str) -> str:
    return "".join(_syllables(text))


@lru_cache(maxsize=4096)
def _pinyin_cached(text: str) -> str:
    return _pinyin(text)


def _add(index: dict[str, list[str]], div: Division, keys) -> None:
    for key in keys:
        if key and div.code not in index.setdefault(key, []):
            index[key].append(div.code)


class Table:
    """The divisions with their look-ups. Built once (see `table()`)."""

    def __init__(self, rows: dict[str, str]):
        self.by_code: dict[str, Division] = {}
        self.children: dict[str, list[Division]] = {}
        self.aliases: dict[str, str] = {}  # raw codes folded into another: 500200 (重庆 县) → 500100
        for div in divisions_from_rows(rows):
            self.by_code[div.code] = div
            self.children.setdefault(div.parent, []).append(div)
        for code in rows:
            if code not in self.by_code and code[:2] in MUNICIPALITIES and code.endswith("00"):
                self.aliases[code] = code[:2] + "0100"
        # (level, tier) -> key -> codes. Tiers: 1 official name, 2 short name, 3 pinyin, 4 pinyin initials.
        # Pinyin costs ~50 µs a character, so tiers 3 and 4 of a level are built when first asked for.
        self.keys: dict[tuple[int, int], dict[str, list[str]]] = {}
        for div in self.by_code.values():
            names = {div.name, div.short}
            if div.level == CITY and div.code[:2] in MUNICIPALITIES:
                names |= {"市辖区", "县"}  # what the raw table calls a municipality's city level
            _add(self.keys.setdefault((div.level, 1), {}), div, {div.name})
            _add(self.keys.setdefault((div.level, 2), {}), div, names)

    def index(self, level: int, tier: int) -> dict[str, list[str]]:
        if tier >= 3 and (level, tier) not in self.keys:
            # Built aside, then published: another thread sees all or nothing.
            pinyin: dict[str, list[str]] = {}
            initials: dict[str, list[str]] = {}
            for div in self.by_code.values():
                if div.level != level:
                    continue
                syllables = _syllables(div.name)  # one call: the short name is the start of the name
                if len(syllables) != len(div.name):
                    syllables = _syllables(div.short) + _syllables(div.name[len(div.short) :])
                short = list(_PINYIN_FIXES.get(div.short, syllables[: len(div.short)]))
                full = short + syllables[len(div.short) :]
                spellings = {"".join(short), "".join(full), *_ENGLISH.get(div.code, ())}
                spellings |= {s.replace("v", "u") for s in spellings if "v" in s}  # lvliang, luliang
                _add(pinyin, div, spellings)
                _add(initials, div, {"".join(w[0] for w in short if w)})
            self.keys[(level, 4)] = initials
            self.keys[(level, 3)] = pinyin
        return self.keys.get((level, tier), {})

    def get(self, code: str) -> Division | None:
        code = (code or "").strip()
        return self.by_code.get(self.aliases.get(code, code))

    def ancestors(self, div: Division) -> list[Division]:
        out = []
        while div.parent:
            div = self.by_code[div.parent]
            out.append(div)
        return out

    def path(self, div: Division) -> str:
        """广东省深圳市南山区; a municipality's city is not repeated: 北京市朝阳区."""
        parts = [d.name for d in reversed([div, *self.ancestors(div)])]
        return "".join(p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1])


def divisions_from_rows(rows: dict[str, str]) -> list[Division]:
    """The picker tree from the code table (code → name): see the module's docstring for the two folds."""
    out: list[Division] = []

    def add(code: str, name: str, level: int, parent: str) -> None:
        out.append(Division(code, name, level, parent, short_name(name)))

    for code, name in rows.items():  # sorted by code (table_from_source writes them so)
        prov, pref = code[:2] + "0000", code[:4] + "00"
        if code == prov:
            add(code, name, PROVINCE, "")
            if code[:2] in MUNICIPALITIES:
                add(code[:2] + "0100", name, CITY, code)
        elif code == pref:
            if code[:2] not in MUNICIPALITIES and code[2:4] != "90":
                add(code, name, CITY, prov)
        elif code[:2] in MUNICIPALITIES:
            add(code, name, DISTRICT, code[:2] + "0100")
        elif code[2:4] == "90":
            add(code, name, CITY, prov)  # 省直辖县级行政区划: a city of the province
        elif pref in rows:
            add(code, name, DISTRICT, pref)
    return out


@cache
def table() -> Table:
    with DATA_FILE.open(encoding="utf-8") as fh:
        return Table(json.load(fh)["divisions"])


def get(code: str) -> Division | None:
    return table().get(code)


def children(code: str = "") -> list[Division]:
    """The provinces (no code), the cities of a province, the districts of a city."""
    div = table().get(code) if code else None
    if code and div is None:
        return []
    return list(table().children.get(div.code if div else "", []))


def in_scope(div: Division, within: set[str]) -> bool:
    return not within or div.code in within or any(a.code in within for a in table().ancestors(div))


@dataclass
class Match:
    divisions: list[Division]  # none, one (resolved) or several (ambiguous)
    tier: int = 0  # what matched: 1 official name, 2 short name, 3 pinyin or English, 4 initials


def _keys(text: str):
    """(tier, key) pairs to look up for what was typed, best first (pinyin only computed when reached)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if _CJK.search(text):
        text = re.sub(r"\s+", "", text)
        yield from ((1, text), (2, text), (2, short_name(text)))
        yield from ((3, _pinyin(text)), (3, _pinyin(short_name(text))))  # 廣東 → guangdong
        return
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("'", "").replace("’", ""))
    while len(words) > 1 and words[-1] in _GENERIC_WORDS:
        words.pop()
    key = "".join(words)
    yield from ((3, key), (4, key))


def resolve(text: str, level: int, within: set[str] | None = None, *, initials: bool = False) -> Match:
    """The divisions of `level` (inside `within`, a set of codes) that `text` names.

    A 6-digit code names itself. Otherwise the first kind of match that finds anything wins: the official
    name, the short name, the pinyin (or an English name), and with `initials` the pinyin initials. Two
    matches of one kind are an ambiguity the caller shows, never a guess.
    """
    within = within or set()
    tbl = table()
    text = unicodedata.normalize("NFKC", text or "").strip()
    if re.fullmatch(r"\d{6}", text):
        div = tbl.get(text)
        return Match([div], 1) if div and div.level == level and in_scope(div, within) else Match([])
    for tier, key in _keys(text):
        if not key or (tier == 4 and (not initials or not 2 <= len(key) <= 5)):
            continue
        codes = tbl.index(level, tier).get(key, [])
        found = [d for d in (tbl.by_code[c] for c in codes) if in_scope(d, within)]
        if found:
            return Match(found, tier)
    return Match([])


def outside_country(text: str) -> str:
    """'HK' for 香港 / Hong Kong (SAR) / 香港特别行政区, likewise MO and TW; '' otherwise."""
    for _tier, key in _keys(text):
        for name, country in OUTSIDE_TABLE.items():
            if key and (key == name or key == short_name(name) or key.startswith(name)):
                return country
    return ""


@dataclass
class Place:
    """A location in China as the three levels of the picker (each None when not given)."""

    province: Division | None = None
    city: Division | None = None
    district: Division | None = None

    def fields(self) -> dict[str, str]:
        """The address fields: codes and the official names that go with them."""
        out = {}
        for level in ("province", "city", "district"):
            div = getattr(self, level)
            out[f"{level}_code"], out[level] = (div.code, div.name) if div else ("", "")
        return out


LEVEL_NAMES = {PROVINCE: "province", CITY: "city", DISTRICT: "district"}


def locate(**given: str) -> Place:
    """The place that the address fields name, checked: each level exists and lies in the one above.

    `given` holds province_code, city_code, district_code (6-digit codes, as a picker sends them) and/or
    province, city, district (names as typed: 广东, 广东省, guangdong). A code wins over a name of the same
    level. A level named without the level above fills that level in (深圳 → 广东省); a municipality's
    city is the municipality. Raises ValidationError {field: message} saying what was meant.
    """
    place, above = Place(), None
    for level in (PROVINCE, CITY, DISTRICT):
        name = LEVEL_NAMES[level]
        code, text = (given.get(f"{name}_code") or "").strip(), (given.get(name) or "").strip()
        field = f"{name}_code" if code else name
        if code:
            div = get(code)
            if div is None or div.level != level:
                raise ValidationError({field: _unknown_code_message(level, code)})
        elif text:
            match = resolve(text, level, {above.code} if above else set())
            if len(match.divisions) != 1:
                raise ValidationError({field: _not_resolved_message(level, text, match, above)})
            div = match.divisions[0]
        elif level == CITY and above is not None and above.code[:2] in MUNICIPALITIES:
            div = table().by_code[above.code[:2] + "0100"]  # 北京市's city is 北京市 (always in the table)
        else:
            continue
        if above is not None and not in_scope(div, {above.code}):
            raise ValidationError(
                {field: _("%(child)s is not in %(parent)s.") % {"child": div.name, "parent": above.name}}
            )
        for anc in table().ancestors(div):  # a level given without the one above: fill it in (深圳 → 广东省)
            setattr(place, LEVEL_NAMES[anc.level], anc)
        setattr(place, name, div)
        above = div
    return place


def _unknown_code_message(level: int, code: str) -> str:
    messages = {
        PROVINCE: _("No province has the code %(code)s."),
        CITY: _("No city has the code %(code)s."),
        DISTRICT: _("No district has the code %(code)s."),
    }
    return messages[level] % {"code": code[:12]}


def _not_resolved_message(level: int, text: str, match: Match, above: Division | None) -> str:
    tbl, args = table(), {"text": text[:60], "parent": above.name if above else ""}
    if match.divisions:
        choices = " / ".join(tbl.path(d) for d in match.divisions[:6])
        return _("“%(text)s” could be %(choices)s: choose one.") % {**args, "choices": choices}
    country = outside_country(text)
    if country:
        return _("For an address in %(text)s, choose the country %(country)s.") % {**args, "country": country}
    if level == DISTRICT and above is not None and above.level == CITY and not tbl.children.get(above.code):
        return _("%(parent)s has no districts: write the town in the street line.") % args
    if above is None:
        message = {
            PROVINCE: _("There is no province “%(text)s” in China."),
            CITY: _("There is no city “%(text)s” in China."),
            DISTRICT: _("There is no district “%(text)s” in China."),
        }[level] % args
    else:
        message = {
            CITY: _("%(parent)s has no city “%(text)s”."),
            DISTRICT: _("%(parent)s has no district “%(text)s”."),
        }[level] % args
    elsewhere = dict.fromkeys(
        tbl.path(d) for lvl in (PROVINCE, CITY, DISTRICT) for d in resolve(text, lvl).divisions
    )
    if elsewhere:
        choices = " / ".join(list(elsewhere)[:4])
        message += " " + _("Did you mean %(choices)s?") % {"choices": choices}
    return message
