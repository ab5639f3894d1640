"""Reading attachments: a record is found through its document type, and only by those who may see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from guanxi.core import document_types, registry
from guanxi.core.exceptions import NotFoundError
from guanxi.core.roles import BUYER, SALES_REP
from guanxi.core.selectors import attachments as sel
from guanxi.core.tests.attachments_support import attach
from guanxi.tests.plugin_app.services import widget_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]


@pytest.fixture
def rep(make_user, team):
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def widget(rep):
    return widget_create(actor=rep, name="Gadget")


def test_record_get_finds_a_record_of_a_type_that_takes_attachments(rep, widget):
    doc, record = sel.record_get(actor=rep, document_type="plugin_app.widget", object_id=str(widget.pk))
    assert doc.code == "plugin_app.widget" and record == widget


@pytest.mark.parametrize("code", ["core.team", "nope.nothing", "", "plugin_app"])
def test_a_type_that_takes_no_attachments_is_a_validation_error(rep, code):
    with pytest.raises(ValidationError) as exc:
        sel.record_get(actor=rep, document_type=code, object_id="1")
    assert "document_type" in exc.value.message_dict


@pytest.mark.parametrize("object_id", ["abc", "0", "99999999", "1" * 30, "-1", None, "1\x00"])
def test_an_id_that_is_no_record_is_not_found(rep, widget, object_id):
    with pytest.raises(NotFoundError):
        sel.record_get(actor=rep, document_type="plugin_app.widget", object_id=object_id)


def test_someone_who_may_not_see_the_record_finds_neither_it_nor_its_files(rep, widget, make_user):
    a = attach(rep, widget)
    buyer = make_user("buyer", roles=[BUYER])
    with pytest.raises(NotFoundError):
        sel.record_get(actor=buyer, document_type="plugin_app.widget", object_id=widget.pk)
    with pytest.raises(NotFoundError):
        sel.attachment_list(actor=buyer, record=widget)
    with pytest.raises(NotFoundError):
        sel.attachment_get(actor=buyer, pk=a.pk)
    assert [x.pk for x in sel.attachment_list(actor=rep, record=widget)] == [a.pk]


@pytest.mark.parametrize("pk", ["x", 0, -5, 2**70, None])
def test_attachment_get_with_a_bad_id(rep, pk):
    with pytest.raises(NotFoundError):
        sel.attachment_get(actor=rep, pk=pk)


def test_an_attachment_of_a_type_no_longer_registered_is_not_found(rep, widget, monkeypatch):
    a = attach(rep, widget)
    monkeypatch.setattr(document_types, "_DOCUMENTS", {})
    with pytest.raises(NotFoundError):
        sel.attachment_get(actor=rep, pk=a.pk)


def test_a_file_missing_from_the_storage_is_not_found(rep, widget, attachments_dir):
    a = attach(rep, widget)
    for f in attachments_dir.rglob("*.pdf"):
        f.unlink()
    with pytest.raises(NotFoundError):
        sel.attachment_open(a)


def test_the_tab_is_registered_for_every_type_with_the_feature_whenever_it_registers(monkeypatch):
    monkeypatch.setattr(registry, "_TABS", dict(registry._TABS))
    monkeypatch.setattr(document_types, "_DOCUMENTS", dict(document_types._DOCUMENTS))
    assert registry.tab("plugin_app.widget", "attachments") is not None
    assert registry.tab("parties.party", "attachments") is not None
    late = registry.DocumentType(
        "late.thing",
        "Thing",
        "Things",
        lambda u, o: True,
        lambda u, o: True,
        str,
        features=frozenset({"attachments"}),
    )
    registry.register_document_type(late)  # an app whose ready() runs after core's
    assert registry.tab("late.thing", "attachments").label == "Attachments"
    plain = registry.DocumentType("plain.thing", "P", "Ps", lambda u, o: True, lambda u, o: True, str)
    registry.register_document_type(plain)
    assert registry.tab("plain.thing", "attachments") is None
