"""Migration 0007 fills the division codes of addresses saved before them, where the names resolve."""

import os

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

BEFORE = [("parties", "0006_name_key_indexes_and_unique_registrations")]
AFTER = [("parties", "0007_region_codes")]


@pytest.fixture
def empty_database(request, django_db_blocker, tmp_path):
    """A new, empty database on the suite's engine (a SQLite file, or a PostgreSQL database of its own),
    as the default connection for the test. Not the test database: taking that back to 0006 unapplied every
    migration after it, in every app, and applied them all again after the test (about a minute, then a
    flush); an empty database needs only the migrations up to 0006 (a quarter of them), then 0007."""
    main = connections["default"]
    fresh_settings = {**main.settings_dict}
    on_postgresql = main.vendor != "sqlite"
    if on_postgresql:
        fresh_settings["NAME"] = f"{main.settings_dict['NAME'][:40]}_migration_{os.getpid()}"
    else:
        fresh_settings["NAME"] = str(tmp_path / "migration.sqlite3")
    name = main.ops.quote_name(fresh_settings["NAME"])

    def postgresql(sql):
        with django_db_blocker.unblock(), main._nodb_cursor() as cursor:
            cursor.execute(sql)

    if on_postgresql:
        postgresql(f"DROP DATABASE IF EXISTS {name}")
        postgresql(f"CREATE DATABASE {name}")
        # Dropped at the very end: DROP DATABASE waits for a checkpoint, which writes out every page the
        # suite changed since the last one (seconds on a busy disk); after pytest-django has dropped the
        # test database (and with it, its pages), there is next to nothing left to write.
        request.config.add_cleanup(lambda: postgresql(f"DROP DATABASE IF EXISTS {name}"))
    fresh = load_backend(fresh_settings["ENGINE"]).DatabaseWrapper(fresh_settings, "default")
    connections["default"] = fresh  # what the migration's RunPython (and `connection`) writes to
    try:
        with django_db_blocker.unblock():
            yield fresh
    finally:
        fresh.close()
        connections["default"] = main


@pytest.fixture
def old_state(empty_database):
    executor = MigrationExecutor(empty_database)
    executor.migrate(BEFORE)
    return executor.loader.project_state(BEFORE).apps


def test_codes_are_filled_where_the_names_resolve(old_state):
    Party = old_state.get_model("parties", "Party")
    Address = old_state.get_model("parties", "Address")

    def org(name, *addresses):
        party = Party.objects.create(kind="organization", name=name)
        for i, (country, province, city, district) in enumerate(addresses):
            Address.objects.create(
                party=party,
                country=country,
                province=province,
                city=city,
                district=district,
                street="1号",
                is_primary=i == 0,
            )
        first = addresses[0]
        Party.objects.filter(pk=party.pk).update(country=first[0], province=first[1], city=first[2])
        return party.pk

    rows = {
        "full": org("A", ("CN", "广东省", "深圳市", "南山区")),
        "short names": org("B", ("CN", "广东", "深圳", "")),
        "pinyin": org("C", ("CN", "Guangdong", "Shenzhen", "")),
        "city only": org("D", ("CN", "", "苏州市", "")),
        "municipality": org("E", ("CN", "北京市", "北京市", "朝阳区")),
        "wrong city": org("F", ("CN", "广东省", "台北", "")),  # faker's demo data
        "ambiguous district": org("G", ("CN", "", "", "南山区")),
        "abroad": org("H", ("US", "CA", "San Francisco", "")),
        "second address": org("I", ("US", "NY", "New York", ""), ("CN", "上海", "上海", "")),
        "unknown province": org("J", ("CN", "火星省", "", "")),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Party = apps.get_model("parties", "Party")
    Address = apps.get_model("parties", "Address")

    def codes(key):
        address = Address.objects.filter(party_id=rows[key]).order_by("-is_primary", "id").first()
        party = Party.objects.get(pk=rows[key])
        return (
            (address.province_code, address.city_code, address.district_code),
            (party.province_code, party.city_code),
        )

    assert codes("full") == (("440000", "440300", "440305"), ("440000", "440300"))
    assert codes("short names") == (("440000", "440300", ""), ("440000", "440300"))
    assert codes("pinyin") == (("440000", "440300", ""), ("440000", "440300"))
    assert codes("city only") == (("320000", "320500", ""), ("320000", "320500"))
    assert codes("municipality") == (("110000", "110100", "110105"), ("110000", "110100"))
    assert codes("wrong city") == (("440000", "", ""), ("440000", ""))  # the province still resolves
    assert codes("ambiguous district") == (("", "", ""), ("", ""))
    assert codes("abroad") == (("", "", ""), ("", ""))
    assert codes("second address") == (("", "", ""), ("", ""))  # the primary address is abroad
    assert Address.objects.get(party_id=rows["second address"], country="CN").province_code == "310000"
    assert codes("unknown province") == (("", "", ""), ("", ""))
    # Names stay as they were typed.
    assert Address.objects.get(party_id=rows["short names"]).province == "广东"
