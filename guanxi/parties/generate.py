"""Bulk generator of realistic bilingual parties, for `guanxi demo` and the benchmarks (bench/).

It writes straight to the tables in batches (not through the services): one million organizations
would otherwise take hours. What it writes is what the services would write, search columns included;
it writes no audit rows (generated data has no history).
"""

from __future__ import annotations

import enum
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker
from stdnum.cn import uscc

from guanxi.core.models import Team, TeamMembership, User
from guanxi.parties.choices import (
    AddressKind,
    CompanySize,
    CustomerStatus,
    Industry,
    PartyKind,
    SupplierStatus,
)
from guanxi.parties.demo_places import Emails, Places
from guanxi.parties.models import Address, ContactPoint, Employment, Party, PartyGram, PartyIdentifier, Tag
from guanxi.parties.search import GRAM_PREFIX, build_search_fields, name_keys, pinyin_forms, search_grams

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


@dataclass
class Counts:
    organizations: int = 0
    people: int = 0


def random_uscc(rng: random.Random) -> str:
    body = "91" + "".join(rng.choices(string.digits, k=6)) + "".join(rng.choices(USCC_ALPHABET, k=9))
    return body + uscc.calc_check_digit(body)


def _cn_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "186", "150", "158", "177", "189"]) + "".join(
        rng.choices(string.digits, k=8)
    )


def _us_phone(rng: random.Random, area: str = "") -> tuple[str, str]:
    """(as typed, E.164) for a US number; the E.164 form is what phonenumbers would give."""
    area = area or rng.choice(US_AREA_CODES)
    exchange, line = rng.randint(200, 999), rng.randint(1000, 9999)
    return f"+1 {area} {exchange} {line}", f"+1{area}{exchange}{line}"


def _plain(v):
    return v.value if isinstance(v, enum.Enum) else v


class _Table:
    """Column order and defaults of one model's table, so rows can be built as plain tuples."""

    def __init__(self, model, *, with_id: bool = False):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: None if f.primary_key else _plain(f.get_default()) for f in fields}
        self.timestamps = [
            f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]

    def row(self, values: dict, now) -> tuple:
        d = dict(self.defaults)
        for name in self.timestamps:
            d[name] = now
        d.update(values)
        return tuple(d[a] for a in self.attnames)


class Generator:
    """Builds organizations with their people, phones, emails, identifiers, addresses and tags.

    Names are composed from Faker's word lists with our own random generator (calling Faker for every
    value costs 20-300 µs each, which made one million organizations take over an hour), and pinyin is
    cached per distinct name.
    """

    def __init__(self, *, seed: int, owners: list[User], tags: list[Tag], chinese_ratio: float = 0.5):
        self.rng = random.Random(seed)
        zh, en = Faker("zh_CN"), Faker("en_US")
        zh.seed_instance(seed)
        en.seed_instance(seed + 1)
        self.tag_ids = [t.pk for t in tags]
        self.chinese_ratio = chinese_ratio
        team_of: dict[int, int] = {}
        for m in TeamMembership.objects.filter(user__in=owners).order_by("id"):
            team_of.setdefault(m.user_id, m.team_id)
        self.owners = [(u.pk, team_of.get(u.pk)) for u in owners]

        pz, pe = zh.provider("faker.providers.person"), en.provider("faker.providers.person")
        self.zh_last, self.zh_last_w = list(pz.last_names), list(accumulate(pz.last_names.values()))
        self.zh_first = list(pz.first_names)
        self.en_first, self.en_last = list(pe.first_names), list(pe.last_names)
        cz, ce = zh.provider("faker.providers.company"), en.provider("faker.providers.company")
        self.zh_prefixes, self.zh_suffixes = list(cz.company_prefixes), list(cz.company_suffixes)
        self.en_suffixes = list(ce.company_suffixes)
        self.zh_cities = list(zh.provider("faker.providers.address").cities)  # in company names
        self.en_streets = [en.street_address() for _ in range(2000)]
        self.industries, self.sizes = list(Industry.values), list(CompanySize.values)
        self.customer_statuses, self.supplier_statuses = (
            list(CustomerStatus.values),
            list(SupplierStatus.values),
        )
        self._pinyin: dict[str, tuple[str, str]] = {}
        self._keys: dict[str, tuple[str, str, str]] = {}
        # Addresses from the division table (a company named after a city is in that city); emails
        # from names (guanxi/parties/demo_places.py).
        self.places = Places(self.rng)
        self.city_in_name = {c: self.places.city_named(c) for c in set(self.zh_cities)}
        self.emails = Emails(self.rng, self.pinyin_of)
        self.party = _Table(Party, with_id=True)
        self.ident = _Table(PartyIdentifier)
        self.point = _Table(ContactPoint)
        self.address = _Table(Address)
        self.employment = _Table(Employment)
        self.tagged = _Table(Party.tags.through)
        self.gram = _Table(PartyGram)
        self._grams: dict[tuple, set[str]] = {}

    def _tables(self) -> tuple:
        return (self.party, self.ident, self.point, self.address, self.employment, self.tagged, self.gram)

    def grams_of(self, values: dict) -> set[str]:
        names = (values["name"], values.get("short_name", ""), values.get("legal_name", ""))
        grams = self._grams.get(names)
        if grams is None:
            grams = self._grams[names] = search_grams(list(names), pinyin_of=self.pinyin_of)
        return grams

    def _post(self, out: list, values: dict, now) -> None:
        prefix = values["sort_key"][:GRAM_PREFIX]
        out.extend(
            self.gram.row({"gram": g, "sort_prefix": prefix, "party_id": values["id"]}, now)
            for g in self.grams_of(values)
        )

    def pinyin_of(self, text: str) -> tuple[str, str]:
        forms = self._pinyin.get(text)
        if forms is None:
            forms = self._pinyin[text] = pinyin_forms(text)
        return forms

    def _roles(self) -> dict:
        r = self.rng.random()
        is_customer, is_supplier = r < 0.7, r >= 0.6
        return {
            "is_customer": is_customer,
            "customer_status": self.rng.choice(self.customer_statuses) if is_customer else "",
            "is_supplier": is_supplier,
            "supplier_status": self.rng.choice(self.supplier_statuses) if is_supplier else "",
        }

    def _company(self, chinese: bool) -> tuple[str, str]:
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

    def _person_name(self, chinese: bool) -> str:
        rng = self.rng
        if chinese:
            return rng.choices(self.zh_last, cum_weights=self.zh_last_w)[0] + rng.choice(self.zh_first)
        return f"{rng.choice(self.en_first)} {rng.choice(self.en_last)}"

    def name_keys_of(self, name: str) -> tuple[str, str, str]:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = name_keys(name)
        return keys

    def _search(self, values: dict, idents: list[str], emails: list[str], phones_e164: list[str]) -> None:
        values["name_key"], values["core_key"], values["sort_key"] = self.name_keys_of(values["name"])
        values["search_doc"], values["search_short"] = build_search_fields(
            names=[values["name"], values.get("short_name", ""), values.get("legal_name", "")],
            identifiers=idents,
            emails=emails,
            phones_e164=phones_e164,
            pinyin_of=self.pinyin_of,
        )

    def batch(self, n: int, reserve_ids: Callable[[int], list[int]], now) -> dict[str, list[tuple]]:
        """n organizations with their people etc., as rows per table (party ids from reserve_ids)."""
        rng = self.rng
        plans = []
        for _ in range(n):
            chinese = rng.random() < self.chinese_ratio
            name, short = self._company(chinese)
            owner_id, team_id = rng.choice(self.owners) if self.owners else (None, None)
            org = {
                "kind": PartyKind.ORGANIZATION.value,
                "name": name,
                "short_name": short,
                "owner_id": owner_id,
                "team_id": team_id,
                "industry": rng.choice(self.industries),
                "size": rng.choice(self.sizes),
                **self._roles(),
            }
            domain = self.emails.domain(name, short, chinese)
            org["website"] = f"https://www.{domain}"
            emails = [self.emails.organization(domain)]
            if chinese:
                code = random_uscc(rng)
                idents = [("cn_uscc", "CN", code)]
                raw = _cn_mobile(rng)
                phones = [(raw, "+86" + raw)]
                named = (self.city_in_name.get(name[:n]) for n in (4, 3, 2))  # 济南…公司 is in 济南
                place = self.places.china(next((c for c in named if c), None))
                addr = {"kind": AddressKind.REGISTERED.value, **place.fields, "street": place.street}
                org.update(
                    legal_name=name,
                    invoice_title=name,
                    invoice_tax_number=code,
                    invoice_bank_name=rng.choice(BANKS_ZH),
                    invoice_bank_account="".join(rng.choices(string.digits, k=19)),
                    invoice_address=place.text[:200],
                    invoice_phone=raw,
                )
            else:
                place = self.places.us(self.en_streets)
                phones = [_us_phone(rng, place.area_code)]
                idents = []
                if rng.random() < 0.5:
                    idents.append(("tax_id", "US", f"{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}"))
                addr = {"kind": AddressKind.BILLING.value, **place.fields, "street": place.street}
            addr.update(postal_code=place.postal_code, is_primary=True)
            org.update(
                {f: place.fields[f] for f in ("country", "province", "city", "province_code", "city_code")}
            )
            self._search(org, [i[2].lower() for i in idents], emails, [p[1] for p in phones])
            people = []
            for _p in range(rng.choice((0, 1, 1, 2, 2, 3))):
                person = {
                    "kind": PartyKind.PERSON.value,
                    "name": self._person_name(chinese),
                    "owner_id": owner_id,
                    "team_id": team_id,
                    "is_customer": org["is_customer"],
                    "customer_status": org["customer_status"],
                    "preferred_language": "zh-hans" if chinese else "en",
                    "marketing_consent": rng.random() < 0.4,
                }
                if person["marketing_consent"]:
                    person["consent_source"] = "展会登记表" if chinese else "Trade fair form"
                if chinese:
                    person["wechat_id"] = "wx_" + "".join(rng.choices(string.ascii_lowercase, k=8))
                    raw = _cn_mobile(rng)
                    pphone = (raw, "+86" + raw)
                else:
                    pphone = _us_phone(rng, place.area_code)
                pemail = self.emails.person(person["name"], chinese, domain)
                self._search(person, [], [pemail], [pphone[1]])
                title = rng.choice(JOB_TITLES_ZH if chinese else JOB_TITLES_EN)
                people.append((person, pphone, pemail, title))
            k = min(len(self.tag_ids), rng.choice((0, 0, 1, 2)))
            tag_ids = rng.sample(self.tag_ids, k=k) if k else []
            plans.append((org, idents, phones, emails, addr, people, tag_ids))

        ids = iter(reserve_ids(n + sum(len(p[5]) for p in plans)))
        out: dict[str, list[tuple]] = {t.table: [] for t in self._tables()}
        parties, idents_out, points = out[self.party.table], out[self.ident.table], out[self.point.table]
        addrs, emps, tagged = out[self.address.table], out[self.employment.table], out[self.tagged.table]
        grams = out[self.gram.table]
        for org, idents, phones, emails, addr, people, tag_ids in plans:
            oid = next(ids)
            org["id"] = oid
            parties.append(self.party.row(org, now))
            self._post(grams, org, now)
            for scheme, country, value in idents:
                idents_out.append(
                    self.ident.row(
                        {"party_id": oid, "scheme": scheme, "country": country, "value": value}, now
                    )
                )
            for raw, e164 in phones:
                points.append(
                    self.point.row(
                        {
                            "party_id": oid,
                            "kind": "phone",
                            "value": raw,
                            "normalized": e164,
                            "is_primary": True,
                        },
                        now,
                    )
                )
            for e in emails:
                points.append(
                    self.point.row(
                        {
                            "party_id": oid,
                            "kind": "email",
                            "value": e,
                            "normalized": e,
                            "domain": e.rpartition("@")[2],
                            "is_primary": True,
                        },
                        now,
                    )
                )
            addr["party_id"] = oid
            addrs.append(self.address.row(addr, now))
            for t in tag_ids:
                tagged.append(self.tagged.row({"party_id": oid, "tag_id": t}, now))
            for i, (person, (raw, e164), email, title) in enumerate(people):
                pid = next(ids)
                person["id"] = pid
                parties.append(self.party.row(person, now))
                self._post(grams, person, now)
                emps.append(
                    self.employment.row(
                        {"person_id": pid, "organization_id": oid, "job_title": title, "is_primary": i == 0},
                        now,
                    )
                )
                points.append(
                    self.point.row(
                        {
                            "party_id": pid,
                            "kind": "phone",
                            "value": raw,
                            "normalized": e164,
                            "is_primary": True,
                        },
                        now,
                    )
                )
                points.append(
                    self.point.row(
                        {
                            "party_id": pid,
                            "kind": "email",
                            "value": email,
                            "normalized": email,
                            "domain": email.rpartition("@")[2],
                            "is_primary": True,
                        },
                        now,
                    )
                )
        return out

    def columns(self) -> dict[str, list[str]]:
        return {t.table: t.columns for t in self._tables()}


def _reserve_ids(cursor, n: int) -> list[int]:
    """n fresh primary keys for parties (inside the caller's transaction)."""
    table = Party._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608 (model table name)
            [n],
        )
        return [r[0] for r in cursor.fetchall()]
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (write lock held: IMMEDIATE)
    start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


def write_batch(gen: Generator, n: int) -> Counts:
    """Build and insert n organizations in one transaction: COPY on PostgreSQL, executemany elsewhere."""
    pg = connection.vendor == "postgresql"
    now = timezone.now()
    columns = gen.columns()
    with transaction.atomic(), connection.cursor() as cursor:
        db_now = now if pg else connection.ops.adapt_datetimefield_value(now)
        rows = gen.batch(n, lambda k: _reserve_ids(cursor, k), db_now)
        for table, data in rows.items():
            if not data:
                continue
            cols = columns[table]
            if pg:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, data)
    people = len(rows[Party._meta.db_table]) - n
    return Counts(n, people)


def generate(
    *,
    organizations: int,
    seed: int = 1,
    owners: list[User] | None = None,
    tags: list[Tag] | None = None,
    chinese_ratio: float = 0.5,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> Counts:
    owners = owners if owners is not None else list(User.objects.filter(is_active=True))
    tags = tags if tags is not None else list(Tag.objects.all())
    gen = Generator(seed=seed, owners=owners, tags=tags, chinese_ratio=chinese_ratio)
    total = Counts()
    done = 0
    while done < organizations:
        n = min(batch_size, organizations - done)
        c = write_batch(gen, n)
        total.organizations += c.organizations
        total.people += c.people
        done += n
        if progress:
            progress(done)
    return total


def teams_and_tags(names_teams: list[str], names_tags: list[tuple[str, str]]) -> tuple[list[Team], list[Tag]]:
    teams = [Team.objects.get_or_create(name=n)[0] for n in names_teams]
    tags = [Tag.objects.get_or_create(name=n, defaults={"color": c})[0] for n, c in names_tags]
    return teams, tags
