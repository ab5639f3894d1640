"""Schemathesis on /api/v1/companies and /api/v1/numbering, with records to aim at: a company with a
logo, one archived, a registered numbered document type with numbers issued. The whole API is also run by
guanxi/parties/tests/api/test_schemathesis.py; this one seeds what those endpoints need. Each generated
request is sent as a Sales Representative (read token, then write token) and as an administrator."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from guanxi.core.models import Company
from guanxi.core.roles import SALES_REP
from guanxi.core.services.companies import company_create, company_update
from guanxi.core.services.numbering import number_next
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import CHECKS, api_schema, every_operation
from guanxi.core.tests.companies.conftest import image_bytes
from guanxi.core.tests.numbering.doc_types import WIDGET

schema = api_schema(path_regex=r"^/api/v1/(companies|numbering)")


@pytest.fixture(autouse=True)
def _keep_the_test_connection(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(admin_user, make_user) -> list[str]:
    logo = SimpleUploadedFile("logo.png", image_bytes())
    company = company_create(
        actor=admin_user, data={"name_zh": "关系示范科技有限公司", "name_en": "Guanxi Demo"}
    )
    company_update(actor=admin_user, company=company, version=1, data={}, logo=logo)
    old = company_create(actor=admin_user, data={"name_en": "Old Co"})
    company_update(actor=admin_user, company=old, version=1, data={"is_active": False})
    with transaction.atomic():
        number_next(doc_type=WIDGET, company=company)
    rep = make_user("rep.seed", roles=[SALES_REP])
    return [
        token_create(actor=rep, name="st-read", scope="read")[1],
        token_create(actor=rep, name="st-write", scope="write")[1],
        token_create(actor=admin_user, name="st-admin", scope="write")[1],
    ]


@every_operation(schema, 15)
def test_companies_and_numbering_conform(case, tokens):
    ids = sorted(Company.objects.values_list("pk", flat=True))
    params = case.path_parameters or {}
    for name in ("id", "company_id"):
        raw = params.get(name)
        if isinstance(raw, int) and raw % 4 != 0 and ids:
            params[name] = ids[raw % len(ids)]
    if "doc_type" in params and isinstance(params["doc_type"], str) and len(params["doc_type"]) % 3:
        params["doc_type"] = WIDGET
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
