"""Names, job titles, phone numbers and identifiers for generated parties. Places and e-mail addresses come
from guanxi/parties/demo_places.py.

Names are composed from Faker's word lists with the generator's own random generator: calling Faker for
every value costs 20-300 µs each, which made one million organizations take over an hour.
"""

from __future__ import annotations

import random
import string
from itertools import accumulate

from faker import Faker
from stdnum.cn import uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
JOB_TITLES_ZH = [
    "总经理",
    "采购经理",
    "销售总监",
    "财务主管",
    "技术总监",
    "质量经理",
    "行政助理",
    "供应链经理",
]
JOB_TITLES_EN = [
    "CEO",
    "Purchasing Manager",
    "Sales Director",
    "Controller",
    "CTO",
    "Quality Manager",
    "Office Manager",
    "Supply Chain Lead",
]
US_AREA_CODES = ["212", "312", "415", "617", "206", "303", "512", "646", "213", "404", "702", "305"]
BANKS_ZH = ["中国工商银行", "中国建设银行", "中国银行", "招商银行", "交通银行", "中国农业银行"]


def random_uscc(rng: random.Random) -> str:
    body = "91" + "".join(rng.choices(string.digits, k=6)) + "".join(rng.choices(USCC_ALPHABET, k=9))
    return body + uscc.calc_check_digit(body)


def cn_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "186", "150", "158", "177", "189"]) + "".join(
        rng.choices(string.digits, k=8)
    )


def us_phone(rng: random.Random, area: str = "") -> tuple[str, str]:
    """(as typed, E.164) for a US number; the E.164 form is what phonenumbers would give."""
    area = area or rng.choice(US_AREA_CODES)
    exchange, line = rng.randint(200, 999), rng.randint(1000, 9999)
    return f"+1 {area} {exchange} {line}", f"+1{area}{exchange}{line}"


class Names:
    """Company and person names in Chinese and English, drawn with `rng` from Faker's word lists."""

    def __init__(self, rng: random.Random, seed: int):
        self.rng = rng
        zh, en = Faker("zh_CN"), Faker("en_US")
        zh.seed_instance(seed)
        en.seed_instance(seed + 1)
        pz, pe = zh.provider("faker.providers.person"), en.provider("faker.providers.person")
        self.zh_last, self.zh_last_w = list(pz.last_names), list(accumulate(pz.last_names.values()))
        self.zh_first = list(pz.first_names)
        self.en_first, self.en_last = list(pe.first_names), list(pe.last_names)
        cz, ce = zh.provider("faker.providers.company"), en.provider("faker.providers.company")
        self.zh_prefixes, self.zh_suffixes = list(cz.company_prefixes), list(cz.company_suffixes)
        self.en_suffixes = list(ce.company_suffixes)
        self.zh_cities = list(zh.provider("faker.providers.address").cities)  # in company names
        self.en_streets = [en.street_address() for _ in range(2000)]

    def company(self, chinese: bool) -> tuple[str, str]:
        """(name, short name)."""
        rng = self.rng
        if chinese:
            brand = rng.choice(self.zh_prefixes)
            city = rng.choice(self.zh_cities) if rng.random() < 0.6 else ""
            return f"{city}{brand}{rng.choice(self.zh_suffixes)}", brand
        last = self.en_last
        r = rng.random()
        if r < 0.5:
            name = f"{rng.choice(last)} {rng.choice(self.en_suffixes)}"
        elif r < 0.8:
            name = f"{rng.choice(last)}-{rng.choice(last)}"
        else:
            name = f"{rng.choice(last)}, {rng.choice(last)} and {rng.choice(last)}"
        return name, name.split()[0].rstrip(",")[:60]

    def person(self, chinese: bool) -> str:
        rng = self.rng
        if chinese:
            return rng.choices(self.zh_last, cum_weights=self.zh_last_w)[0] + rng.choice(self.zh_first)
        return f"{rng.choice(self.en_first)} {rng.choice(self.en_last)}"

    def job_title(self, chinese: bool) -> str:
        return self.rng.choice(JOB_TITLES_ZH if chinese else JOB_TITLES_EN)
