"""Bulk generator of realistic bilingual parties, for `guanxi demo` and the benchmarks (bench/).

It writes straight to the tables in batches (not through the services): one million organizations
would otherwise take hours. What it writes is what the services would write, search columns included;
it writes no audit rows (generated data has no history).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from django.db import transaction
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
from guanxi.parties.models import Address, ContactPoint, Employment, Party, PartyIdentifier, Tag
from guanxi.parties.search import build_search_fields

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
    body = "91" + "".join(rng.choice(string.digits) for _ in range(6))
    body += "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _cn_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "186", "150", "158", "177", "189"]) + "".join(
        rng.choice(string.digits) for _ in range(8)
    )


def _us_phone(rng: random.Random) -> str:
    return f"+1 {rng.choice(US_AREA_CODES)} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"


def _e164(raw: str, region: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(raw, region), phonenumbers.PhoneNumberFormat.E164)


class Generator:
    def __init__(self, *, seed: int, owners: list[User], tags: list[Tag], chinese_ratio: float = 0.5):
        self.rng = random.Random(seed)
        self.zh = Faker("zh_CN")
        self.en = Faker("en_US")
        self.zh.seed_instance(seed)
        self.en.seed_instance(seed + 1)
        self.owners = owners
        self.tags = tags
        self.chinese_ratio = chinese_ratio
        memberships = TeamMembership.objects.filter(user__in=owners).order_by("id")
        self.team_of: dict[int, int] = {}
        for m in memberships:
            self.team_of.setdefault(m.user_id, m.team_id)

    def _roles(self) -> dict:
        r = self.rng.random()
        is_customer, is_supplier = r < 0.7, r >= 0.6
        return {
            "is_customer": is_customer,
            "customer_status": self.rng.choice(CustomerStatus.values) if is_customer else "",
            "is_supplier": is_supplier,
            "supplier_status": self.rng.choice(SupplierStatus.values) if is_supplier else "",
        }

    def _owner(self) -> tuple[int | None, int | None]:
        if not self.owners:
            return None, None
        owner = self.rng.choice(self.owners)
        return owner.pk, self.team_of.get(owner.pk)

    def batch(self, n: int):
        """Build n organizations with their people, phones, emails, identifiers and addresses (unsaved)."""
        rng = self.rng
        rows = []
        for _ in range(n):
            chinese = rng.random() < self.chinese_ratio
            f = self.zh if chinese else self.en
            name = f.company()
            owner_id, team_id = self._owner()
            org = Party(
                kind=PartyKind.ORGANIZATION,
                name=name,
                owner_id=owner_id,
                team_id=team_id,
                industry=rng.choice(Industry.values),
                size=rng.choice(CompanySize.values),
                **self._roles(),
            )
            domain = f"{''.join(rng.choice(string.ascii_lowercase) for _ in range(8))}.{'cn' if chinese else 'com'}"
            org.website = f"https://www.{domain}"
            idents, phones, emails = [], [], [f"info@{domain}"]
            if chinese:
                org.short_name = name[:4]
                org.legal_name = name
                code = random_uscc(rng)
                idents.append(PartyIdentifier(scheme="cn_uscc", country="CN", value=code))
                raw = _cn_mobile(rng)
                phones.append((raw, _e164(raw, "CN")))
                org.invoice_title, org.invoice_tax_number = name, code
                org.invoice_bank_name = rng.choice(BANKS_ZH)
                org.invoice_bank_account = "".join(rng.choice(string.digits) for _ in range(19))
                province, city, district = self.zh.province(), self.zh.city_name(), self.zh.district() + "区"
                street = self.zh.street_address()
                addr = Address(
                    kind=AddressKind.REGISTERED,
                    country="CN",
                    province=province,
                    city=city,
                    district=district,
                    street=street,
                    postal_code=self.zh.postcode(),
                    is_primary=True,
                )
                org.invoice_address = f"{province}{city}{district}{street}"
                org.invoice_phone = raw
                org.country, org.province, org.city = "CN", province, city
            else:
                org.short_name = name.split()[0].rstrip(",")[:60]
                raw = _us_phone(rng)
                phones.append((raw, _e164(raw, "US")))
                if rng.random() < 0.5:
                    idents.append(
                        PartyIdentifier(
                            scheme="tax_id",
                            country="US",
                            value=f"{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}",
                        )
                    )
                state, city = self.en.state_abbr(), self.en.city()
                addr = Address(
                    kind=AddressKind.BILLING,
                    country="US",
                    province=state,
                    city=city,
                    street=self.en.street_address(),
                    postal_code=self.en.zipcode(),
                    is_primary=True,
                )
                org.country, org.province, org.city = "US", state, city
            people = []
            for _p in range(rng.choice((0, 1, 1, 2, 2, 3))):
                pname = f.name()
                person = Party(
                    kind=PartyKind.PERSON,
                    name=pname,
                    owner_id=owner_id,
                    team_id=team_id,
                    is_customer=org.is_customer,
                    customer_status=org.customer_status,
                    preferred_language="zh-hans" if chinese else "en",
                    marketing_consent=rng.random() < 0.4,
                )
                if person.marketing_consent:
                    person.consent_source = "展会登记表" if chinese else "Trade fair form"
                if chinese:
                    person.wechat_id = "wx_" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))
                praw = _cn_mobile(rng) if chinese else _us_phone(rng)
                pphones = [(praw, _e164(praw, "CN" if chinese else "US"))]
                local = "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
                pemails = [f"{local}@{domain}"]
                title = rng.choice(JOB_TITLES_ZH if chinese else JOB_TITLES_EN)
                people.append((person, pphones, pemails, title))
            tag_ids = [t.pk for t in rng.sample(self.tags, k=min(len(self.tags), rng.choice((0, 0, 1, 2))))]
            rows.append((org, idents, phones, emails, addr, people, tag_ids))
        return rows


def _search(party: Party, idents, phones, emails) -> None:
    party.search_doc, party.search_short = build_search_fields(
        names=[party.name, party.short_name, party.legal_name],
        identifiers=[i.value for i in idents],
        emails=[e.lower() for e in emails],
        phones_e164=[p[1] for p in phones],
    )


def write_batch(rows) -> Counts:
    orgs, persons = [], []
    for org, idents, phones, emails, _addr, people, _tags in rows:
        _search(org, idents, phones, emails)
        orgs.append(org)
        for person, pphones, pemails, _title in people:
            _search(person, [], pphones, pemails)
            persons.append(person)
    with transaction.atomic():
        Party.objects.bulk_create(orgs + persons, batch_size=2000)
        idents_all, points, addrs, emps, tag_links = [], [], [], [], []
        through = Party.tags.through
        for org, idents, phones, emails, addr, people, tag_ids in rows:
            for i in idents:
                i.party_id = org.pk
                idents_all.append(i)
            points += [
                ContactPoint(party_id=org.pk, kind="phone", value=r, normalized=e, is_primary=True)
                for r, e in phones
            ]
            points += [
                ContactPoint(party_id=org.pk, kind="email", value=e, normalized=e.lower(), is_primary=True)
                for e in emails
            ]
            addr.party_id = org.pk
            addrs.append(addr)
            tag_links += [through(party_id=org.pk, tag_id=t) for t in tag_ids]
            for n, (person, pphones, pemails, title) in enumerate(people):
                emps.append(
                    Employment(
                        person_id=person.pk, organization_id=org.pk, job_title=title, is_primary=n == 0
                    )
                )
                points += [
                    ContactPoint(party_id=person.pk, kind="phone", value=r, normalized=e, is_primary=True)
                    for r, e in pphones
                ]
                points += [
                    ContactPoint(
                        party_id=person.pk, kind="email", value=e, normalized=e.lower(), is_primary=True
                    )
                    for e in pemails
                ]
        PartyIdentifier.objects.bulk_create(idents_all, batch_size=5000)
        ContactPoint.objects.bulk_create(points, batch_size=5000)
        Address.objects.bulk_create(addrs, batch_size=5000)
        Employment.objects.bulk_create(emps, batch_size=5000)
        through.objects.bulk_create(tag_links, batch_size=5000)
    return Counts(len(orgs), len(persons))


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
        c = write_batch(gen.batch(n))
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
