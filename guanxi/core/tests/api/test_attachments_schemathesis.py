"""Property-based tests of /api/v1/attachments from the OpenAPI document (schemathesis), aimed at records
(widgets of the test app) and attachments that exist: the run over the whole API
(guanxi/parties/tests/api/test_schemathesis.py, whose settings this follows) mostly meets unknown ids. Each request is sent with a representative's read and write tokens and an
administrator's; no 5xx, and every answer as documented (status, content type, body)."""

from __future__ import annotations

import pytest

from guanxi.core.models import Attachment
from guanxi.core.roles import SALES_REP
from guanxi.core.services.tokens import token_create
from guanxi.core.tests.api.schemathesis_support import (
    CHECKS,
    api_schema,
    every_operation,
    keep_the_test_connection,  # noqa: F401  (autouse)
)
from guanxi.core.tests.attachments_support import SAMPLES, attach
from guanxi.tests.plugin_app.models import Widget
from guanxi.tests.plugin_app.services import widget_create

pytestmark = pytest.mark.usefixtures("attachments_dir")

schema = api_schema(path_regex="^/api/v1/attachments")


@pytest.fixture
def tokens(admin_user, make_user, team) -> list[str]:
    rep = make_user("rep.seed", roles=[SALES_REP], teams=[team])
    widget = widget_create(actor=rep, name="Gadget")
    attach(rep, widget, "报价单.pdf")
    attach(rep, widget, "logo.png", SAMPLES["png"])
    attach(admin_user, widget_create(actor=admin_user, name="Other"), "合同.docx", SAMPLES["docx"])
    attach(rep, widget, "w.txt", SAMPLES["text"])
    return [
        token_create(actor=rep, name="schemathesis-read", scope="read")[1],
        token_create(actor=rep, name="schemathesis-write", scope="write")[1],
        token_create(actor=admin_user, name="schemathesis", scope="write")[1],
    ]


@every_operation(schema, 15)
def test_attachments_api_conforms_to_its_openapi_document(case, tokens):
    ids = sorted(Attachment.objects.values_list("pk", flat=True))
    raw = (case.path_parameters or {}).get("id")
    if isinstance(raw, int) and raw % 4 != 0 and ids:
        case.path_parameters["id"] = ids[raw % len(ids)]
    query = case.query or {}
    if isinstance(query.get("object_id"), str) and len(query["object_id"]) % 4 != 0:
        widgets = sorted(Widget.objects.values_list("pk", flat=True))
        query["document_type"] = "plugin_app.widget"
        query["object_id"] = str(widgets[len(query["object_id"]) % len(widgets)])
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
