"""The row builder: organizations with their people, phones, emails, identifiers, addresses and tags, as
the services would write them (search columns included), as rows per table for the table writer."""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from guanxi.core.models import TeamMembership, User
from guanxi.parties.choices import (
    AddressKind,
    CompanySize,
    CustomerStatus,
    Industry,
    PartyKind,
    SupplierStatus,
)
from guanxi.parties.demo_places import Emails, Places
from guanxi.parties.generate.names import BANKS_ZH, Names, cn_mobile, random_uscc, us_phone
from guanxi.parties.generate.tables import Table
from guanxi.parties.models import Address, ContactPoint, Employment, Party, PartyGram, PartyIdentifier, Tag
from guanxi.parties.search import GRAM_PREFIX, build_search_fields, name_keys, pinyin_forms, search_grams

# One organization before it has ids: (party, identifiers, phones, emails, address, people, tag ids), where
# people are (person, (phone as typed, E.164), email, job title).
Plan = tuple[dict, list[tuple[str, str, str]], list[tuple[str, str]], list[str], dict, list[tuple], list[int]]


class Generator:
    """Builds organizations with their people, phones, emails, identifiers, addresses and tags.

    One random generator (seeded) draws everything, so a seed gives the same data; pinyin and name keys
    are cached per distinct name.
    """

    def __init__(self, *, seed: int, owners: list[User], tags: list[Tag], chinese_ratio: float = 0.5):
        self.rng = random.Random(seed)
        self.names = Names(self.rng, seed)
        self.tag_ids = [t.pk for t in tags]
        self.chinese_ratio = chinese_ratio
        team_of: dict[int, int] = {}
        for m in TeamMembership.objects.filter(user__in=owners).order_by("id"):
            team_of.setdefault(m.user_id, m.team_id)
        self.owners = [(u.pk, team_of.get(u.pk)) for u in owners]
        self.industries, self.sizes = list(Industry.values), list(CompanySize.values)
        self.customer_statuses, self.supplier_statuses = (
            list(CustomerStatus.values),
            # "On hold" comes from an expired document (the suppliers app), not from a generated history; left
            # out, which also keeps the seeded data the same as before that status existed.
            [s for s in SupplierStatus.values if s != SupplierStatus.ON_HOLD],
        )
        self._pinyin: dict[str, tuple[str, str]] = {}
        self._keys: dict[str, tuple[str, str, str]] = {}
        # Addresses from the division table (a company named after a city is in that city); emails
        # from names (guanxi/parties/demo_places.py).
        self.places = Places(self.rng)
        self.city_in_name = {c: self.places.city_named(c) for c in set(self.names.zh_cities)}
        self.emails = Emails(self.rng, self.pinyin_of)
        self.party = Table(Party, with_id=True)
        self.ident = Table(PartyIdentifier)
        self.point = Table(ContactPoint)
        self.address = Table(Address)
        self.employment = Table(Employment)
        self.tagged = Table(Party.tags.through)
        self.gram = Table(PartyGram)
        self._grams: dict[tuple, set[str]] = {}

    def _tables(self) -> tuple[Table, ...]:
        return (self.party, self.ident, self.point, self.address, self.employment, self.tagged, self.gram)

    def grams_of(self, values: dict) -> set[str]:
        """The search postings of a party (PartyGram), cached per set of names."""
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

    def name_keys_of(self, name: str) -> tuple[str, str, str]:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = name_keys(name)
        return keys

    def _roles(self) -> dict:
        r = self.rng.random()
        is_customer, is_supplier = r < 0.7, r >= 0.6
        return {
            "is_customer": is_customer,
            "customer_status": self.rng.choice(self.customer_statuses) if is_customer else "",
            "is_supplier": is_supplier,
            "supplier_status": self.rng.choice(self.supplier_statuses) if is_supplier else "",
        }

    def _search(self, values: dict, idents: list[str], emails: list[str], phones_e164: list[str]) -> None:
        values["name_key"], values["core_key"], values["sort_key"] = self.name_keys_of(values["name"])
        values["search_doc"], values["search_short"] = build_search_fields(
            names=[values["name"], values.get("short_name", ""), values.get("legal_name", "")],
            identifiers=idents,
            emails=emails,
            phones_e164=phones_e164,
            pinyin_of=self.pinyin_of,
        )

    def _plan(self) -> Plan:
        """One organization with its people, drawn from the random generator."""
        rng = self.rng
        chinese = rng.random() < self.chinese_ratio
        name, short = self.names.company(chinese)
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
            raw = cn_mobile(rng)
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
            place = self.places.us(self.names.en_streets)
            phones = [us_phone(rng, place.area_code)]
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
                "name": self.names.person(chinese),
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
                raw = cn_mobile(rng)
                pphone = (raw, "+86" + raw)
            else:
                pphone = us_phone(rng, place.area_code)
            pemail = self.emails.person(person["name"], chinese, domain)
            self._search(person, [], [pemail], [pphone[1]])
            people.append((person, pphone, pemail, self.names.job_title(chinese)))
        k = min(len(self.tag_ids), rng.choice((0, 0, 1, 2)))
        tag_ids = rng.sample(self.tag_ids, k=k) if k else []
        return org, idents, phones, emails, addr, people, tag_ids

    def _phone(self, party_id: int, raw: str, e164: str, now) -> tuple:
        values = {
            "party_id": party_id,
            "kind": "phone",
            "value": raw,
            "normalized": e164,
            "number": e164,
            "is_primary": True,
        }
        return self.point.row(values, now)

    def _email(self, party_id: int, email: str, now) -> tuple:
        values = {
            "party_id": party_id,
            "kind": "email",
            "value": email,
            "normalized": email,
            "domain": email.rpartition("@")[2],
            "is_primary": True,
        }
        return self.point.row(values, now)

    def batch(self, n: int, reserve_ids: Callable[[int], list[int]], now) -> dict[str, list[tuple]]:
        """n organizations with their people etc., as rows per table (party ids from reserve_ids)."""
        plans = [self._plan() for _ in range(n)]
        ids = iter(reserve_ids(n + sum(len(p[5]) for p in plans)))
        out: dict[str, list[tuple]] = {t: [] for t in self.columns()}
        parties, idents_out, points = out[self.party.table], out[self.ident.table], out[self.point.table]
        addrs, emps, tagged = out[self.address.table], out[self.employment.table], out[self.tagged.table]
        grams = out[self.gram.table]
        for org, idents, phones, emails, addr, people, tag_ids in plans:
            oid = next(ids)
            org["id"] = oid
            parties.append(self.party.row(org, now))
            self._post(grams, org, now)
            for scheme, country, value in idents:
                values = {"party_id": oid, "scheme": scheme, "country": country, "value": value}
                idents_out.append(self.ident.row(values, now))
            points.extend(self._phone(oid, raw, e164, now) for raw, e164 in phones)
            points.extend(self._email(oid, e, now) for e in emails)
            addr["party_id"] = oid
            addrs.append(self.address.row(addr, now))
            tagged.extend(self.tagged.row({"party_id": oid, "tag_id": t}, now) for t in tag_ids)
            for i, (person, (raw, e164), email, title) in enumerate(people):
                pid = next(ids)
                person["id"] = pid
                parties.append(self.party.row(person, now))
                self._post(grams, person, now)
                values = {"person_id": pid, "organization_id": oid, "job_title": title, "is_primary": i == 0}
                emps.append(self.employment.row(values, now))
                points.append(self._phone(pid, raw, e164, now))
                points.append(self._email(pid, email, now))
        return out

    def columns(self) -> dict[str, list[str]]:
        return {t.table: t.columns for t in self._tables()}
