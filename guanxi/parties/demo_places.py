"""Plausible places, streets and email addresses for generated demo data (guanxi/parties/generate/).

Chinese addresses come from the division table (a real province, city and district: never 广东省 台北),
US ones from real city/state pairs with their ZIP prefix and area code; organizations' email domains come
from their names, people's emails from their names at their organization's domain or a public provider.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from guanxi.parties import regions

# Where companies cluster, as (city code, weight, postcode prefix).
HUBS = [
    ("440300", 10, "518"),  # 深圳
    ("310100", 10, "200"),  # 上海
    ("110100", 9, "100"),  # 北京
    ("440100", 7, "510"),  # 广州
    ("330100", 6, "310"),  # 杭州
    ("320500", 5, "215"),  # 苏州
    ("510100", 4, "610"),  # 成都
    ("420100", 3, "430"),  # 武汉
    ("320100", 3, "210"),  # 南京
    ("120100", 3, "300"),  # 天津
    ("500100", 3, "400"),  # 重庆
    ("610100", 2, "710"),  # 西安
    ("350200", 3, "361"),  # 厦门
    ("330200", 3, "315"),  # 宁波
    ("370200", 2, "266"),  # 青岛
    ("441900", 3, "523"),  # 东莞
    ("440600", 3, "528"),  # 佛山
    ("430100", 2, "410"),  # 长沙
    ("410100", 2, "450"),  # 郑州
    ("340100", 2, "230"),  # 合肥
    ("370100", 2, "250"),  # 济南
    ("320200", 2, "214"),  # 无锡
    ("350100", 2, "350"),  # 福州
    ("210200", 2, "116"),  # 大连
]
# The first two digits of the postcodes of each province (by the province's first two code digits).
POSTCODE_PREFIX = {
    "11": "10", "12": "30", "13": "05", "14": "03", "15": "01", "21": "11", "22": "13", "23": "15",
    "31": "20", "32": "21", "33": "31", "34": "23", "35": "35", "36": "33", "37": "25", "41": "45",
    "42": "43", "43": "41", "44": "51", "45": "53", "46": "57", "50": "40", "51": "61", "52": "55",
    "53": "65", "54": "85", "61": "71", "62": "73", "63": "81", "64": "75", "65": "83",
}  # fmt: skip
ROADS = re.findall(
    r"\S+",
    "中山 人民 解放 建设 和平 新华 文化 胜利 长江 黄河 科技 创业 工业 高新 滨海 世纪 金融 学府 东风 朝阳 迎宾 光明",
)
ROAD_KINDS = ["路", "路", "大道", "街", "东路", "西路", "南路", "北路", "中路"]
BUILDINGS = re.findall(r"\S+", "国际 金融 创新 世贸 华润 万达 时代 环球 财富 中心")
# Real US cities: (city, state, ZIP prefix, area codes).
US_PLACES = [
    ("New York", "NY", "100", ("212", "646")),
    ("Los Angeles", "CA", "900", ("213", "310")),
    ("Chicago", "IL", "606", ("312", "773")),
    ("Houston", "TX", "770", ("713", "281")),
    ("Phoenix", "AZ", "850", ("602",)),
    ("Philadelphia", "PA", "191", ("215",)),
    ("San Antonio", "TX", "782", ("210",)),
    ("San Diego", "CA", "921", ("619", "858")),
    ("Dallas", "TX", "752", ("214", "469")),
    ("San Jose", "CA", "951", ("408",)),
    ("Austin", "TX", "787", ("512",)),
    ("Jacksonville", "FL", "322", ("904",)),
    ("Columbus", "OH", "432", ("614",)),
    ("Charlotte", "NC", "282", ("704",)),
    ("San Francisco", "CA", "941", ("415",)),
    ("Indianapolis", "IN", "462", ("317",)),
    ("Seattle", "WA", "981", ("206",)),
    ("Denver", "CO", "802", ("303", "720")),
    ("Washington", "DC", "200", ("202",)),
    ("Boston", "MA", "021", ("617",)),
    ("Nashville", "TN", "372", ("615",)),
    ("Detroit", "MI", "482", ("313",)),
    ("Portland", "OR", "972", ("503",)),
    ("Las Vegas", "NV", "891", ("702",)),
    ("Baltimore", "MD", "212", ("410",)),
    ("Milwaukee", "WI", "532", ("414",)),
    ("Atlanta", "GA", "303", ("404", "470")),
    ("Miami", "FL", "331", ("305", "786")),
    ("Minneapolis", "MN", "554", ("612",)),
    ("Pittsburgh", "PA", "152", ("412",)),
    ("Salt Lake City", "UT", "841", ("801",)),
    ("Raleigh", "NC", "276", ("919",)),
    ("Kansas City", "MO", "641", ("816",)),
    ("Cleveland", "OH", "441", ("216",)),
    ("St. Louis", "MO", "631", ("314",)),
    ("Orlando", "FL", "328", ("407",)),
    ("Sacramento", "CA", "958", ("916",)),
    ("Palo Alto", "CA", "943", ("650",)),
    ("Newark", "NJ", "071", ("973",)),
    ("Columbia", "SC", "292", ("803",)),
]
PUBLIC_ZH = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com"]
PUBLIC_EN = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com"]
ORG_MAILBOXES = ["info", "info", "sales", "contact", "service", "office"]
ZH_TLDS = [".com.cn", ".com.cn", ".cn", ".com"]
LEGAL_WORDS = re.compile(r"\b(llc|inc|ltd|co|corp|corporation|company|group|plc|and)\b", re.IGNORECASE)


@dataclass
class Place:
    fields: dict  # the address's country, province/city/district names and codes
    street: str
    postal_code: str
    text: str  # the whole address as one line (广东省深圳市南山区科技园路 8 号)
    area_code: str = ""  # US: the city's telephone area code


class Places:
    """Draws places with its own random generator (the caller's), so a seed gives the same data."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.hubs = [regions.table().by_code[code] for code, _w, _p in HUBS]  # city codes of the table
        self.hub_weights = [w for _c, w, _p in HUBS]
        self.hub_postcodes = {code: prefix for code, _w, prefix in HUBS}
        self.cities = [d for p in regions.children() for d in regions.children(p.code)]

    def city_named(self, name: str) -> regions.Division | None:
        """The city that a place name in a company name means (深圳 → 深圳市; 张家港 → 苏州市), if one."""
        for level in (regions.CITY, regions.DISTRICT):
            match = regions.resolve(name, level)
            if len(match.divisions) == 1:
                div = match.divisions[0]
                return div if level == regions.CITY else regions.get(div.parent)
        return None

    def china(self, city: regions.Division | None = None) -> Place:
        rng = self.rng
        if city is None:
            city = (
                rng.choices(self.hubs, self.hub_weights)[0] if rng.random() < 0.7 else rng.choice(self.cities)
            )
        districts = regions.children(city.code)
        district = rng.choice(districts) if districts else None
        province = regions.table().by_code[city.parent]  # a city always lies in a province
        road = rng.choice(ROADS) + rng.choice(ROAD_KINDS)
        street = f"{road}{rng.randint(1, 999)}号"
        if rng.random() < 0.5:
            street += f"{rng.choice(BUILDINGS)}大厦{rng.randint(2, 38)}层"
        prefix = self.hub_postcodes.get(city.code) or POSTCODE_PREFIX[province.code[:2]] + str(
            rng.randint(0, 9)
        )
        postal_code = prefix + "".join(rng.choices("0123456789", k=6 - len(prefix)))
        fields = {"country": "CN", "province": province.name, "province_code": province.code}
        fields |= {"city": city.name, "city_code": city.code}
        fields |= {
            "district": district.name if district else "",
            "district_code": district.code if district else "",
        }
        text = regions.table().path(district or city) + street
        return Place(fields, street, postal_code, text)

    def us(self, streets: list[str]) -> Place:
        rng = self.rng
        city, state, zip3, areas = rng.choice(US_PLACES)
        street = rng.choice(streets)
        postal_code = zip3 + f"{rng.randint(1, 99):02d}"
        fields = {"country": "US", "province": state, "city": city}
        fields |= {"district": "", "province_code": "", "city_code": "", "district_code": ""}
        return Place(
            fields, street, postal_code, f"{street}, {city}, {state} {postal_code}", rng.choice(areas)
        )


class Emails:
    """Organizations' domains from their names (unique), people's addresses from theirs."""

    def __init__(self, rng: random.Random, pinyin_of):
        self.rng, self.pinyin_of = rng, pinyin_of
        self.used: set[str] = set()

    def domain(self, name: str, short: str, chinese: bool) -> str:
        rng = self.rng
        if chinese:
            base = self.pinyin_of(short)[0] or "gongsi"
            longer = self.pinyin_of(name)[0][:24]
            tld = rng.choice(ZH_TLDS)
        else:
            words = re.findall(r"[a-z0-9]+", LEGAL_WORDS.sub(" ", name.lower()))
            base, longer, tld = "".join(words[:2]) or "company", "-".join(words)[:30], ".com"
        for candidate in (base, longer, f"{base}group", f"{base}-{rng.randint(2, 99)}"):
            if candidate and candidate + tld not in self.used:
                self.used.add(candidate + tld)
                return candidate + tld
        domain = f"{base}{len(self.used)}{tld}"
        self.used.add(domain)
        return domain

    def organization(self, domain: str) -> str:
        return f"{self.rng.choice(ORG_MAILBOXES)}@{domain}"

    def person(self, name: str, chinese: bool, domain: str) -> str:
        rng = self.rng
        if chinese:
            full, sur = self.pinyin_of(name)[0], self.pinyin_of(name[:1])[0]  # both cached by the caller
            given = full[len(sur) :] if full.startswith(sur) else self.pinyin_of(name[1:])[0]
        else:
            given, _sep, sur = name.lower().partition(" ")
            given, sur = re.sub(r"[^a-z]", "", given), re.sub(r"[^a-z]", "", sur)
        local = rng.choice([f"{given}.{sur}", f"{sur}{given}", f"{given[:1]}{sur}", f"{sur}.{given}"])
        if rng.random() < 0.2:  # a private mailbox
            local = local.replace(".", "") + str(rng.choice([rng.randint(1970, 2002), rng.randint(1, 999)]))
            return f"{local}@{rng.choice(PUBLIC_ZH if chinese else PUBLIC_EN)}"
        return f"{local}@{domain}"
