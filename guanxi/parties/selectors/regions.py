"""Province and city filters that match on the division code: 广东, 广东省, guangdong and 440000 all find
every party whose primary address is in 广东省 (Party.province_code, indexed)."""

from __future__ import annotations

from django.db.models import Q

from guanxi.parties import regions
from guanxi.parties.regions import CITY, PROVINCE


def _matches(text: str, level: int, within: set[str]) -> tuple[list[str], bool]:
    """(codes, by initials). Several codes when the text is ambiguous (shanxi: 山西 and 陕西): a filter shows
    them all. Pinyin initials (gd) count only when they name one division."""
    match = regions.resolve(text, level, within)
    if match.divisions:
        return [d.code for d in match.divisions], False
    match = regions.resolve(text, level, within, initials=True)
    return ([match.divisions[0].code], True) if len(match.divisions) == 1 else ([], False)


def region_q(*, province: str = "", city: str = "", country: str = "") -> Q:
    """The parties in that province and city: by code when the text names a division of China, else by the
    name as stored (a state or city abroad; a name that is not in the table)."""
    q, within = Q(), set[str]()
    china = country.strip().upper() in ("", "CN")
    for text, level, code_field, name_field in (
        (province, PROVINCE, "province_code", "province"),
        (city, CITY, "city_code", "city"),
    ):
        text = text.strip()
        if not text:
            continue
        codes, by_initials = _matches(text, level, within) if china else ([], False)
        if not codes:
            q &= Q(**{name_field: text})
            continue
        by_code = Q(**{f"{code_field}__in": codes})
        q &= by_code | Q(**{name_field: text}) if by_initials else by_code  # SC: 四川, or a state abroad
        within = set(codes)
    return q
