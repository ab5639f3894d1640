"""Attachments through the service, on a record of the test app (guanxi/tests/plugin_app): core knows no
app, only the document type's rules. Parties: guanxi/parties/tests/attachments/."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from guanxi.core.attachment_types import FileTooLargeError, FileTypeRefusedError, UploadRefusedError
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import Attachment, AuditEntry, Team
from guanxi.core.roles import BUYER, SALES_MANAGER, SALES_REP
from guanxi.core.selectors.users import history_for
from guanxi.core.services import attachments as svc
from guanxi.core.tests.attachments_support import SAMPLES, attach, stored_files, upload
from guanxi.tests.plugin_app.services import widget_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachments_dir")]
WIDGET = "plugin_app.widget"


@pytest.fixture
def rep(make_user, team):
    """May see and change widgets."""
    return make_user("rep", roles=[SALES_REP], teams=[team])


@pytest.fixture
def widget(rep):
    return widget_create(actor=rep, name="Gadget")


@pytest.fixture
def viewer(make_user, team):
    """May see widgets, not change them."""
    return make_user("boss", roles=[SALES_MANAGER], manager_of=[team])


@pytest.fixture
def stranger(make_user):
    """May not see widgets at all."""
    return make_user("buyer", roles=[BUYER])


def nothing_left(folder) -> bool:
    return (
        stored_files(folder) == []
        and not Attachment.objects.exists()
        and not AuditEntry.objects.filter(target_type="core.attachment").exists()
    )


def test_a_file_is_stored_with_what_it_is_and_audited_on_the_record(rep, widget, attachments_dir):
    a = attach(rep, widget, "报价单 2026.pdf", description="  Signed   offer ")
    a.refresh_from_db()
    assert (a.document_type, a.object_id) == (WIDGET, str(widget.pk))
    assert a.original_name == "报价单 2026.pdf"
    assert a.content_type == "application/pdf"
    assert a.size == len(SAMPLES["pdf"])
    assert a.sha256 == hashlib.sha256(SAMPLES["pdf"]).hexdigest()
    assert a.description == "Signed offer"
    assert a.uploaded_by == rep
    files = stored_files(attachments_dir)
    assert [f.read_bytes() for f in files] == [SAMPLES["pdf"]]
    assert "报价单" not in str(files[0]) and files[0].suffix == ".pdf"  # a random name, never the user's
    entry = history_for(subject_type=WIDGET, subject_id=widget.pk).get(target_type="core.attachment")
    assert entry.action == "create" and entry.actor == rep
    assert entry.target_id == str(a.pk)
    assert entry.changes["original_name"] == [None, "报价单 2026.pdf"]
    assert entry.changes["sha256"] == [None, a.sha256]
    assert entry.changes["content_type"] == [None, "application/pdf"]


def test_any_file_object_can_be_attached_by_a_later_app(rep, widget):
    import io

    a = svc.attachment_add(actor=rep, record=widget, file=io.BytesIO(SAMPLES["png"]), name="chart.png")
    assert (a.size, a.content_type) == (len(SAMPLES["png"]), "image/png")


def test_a_type_without_the_feature_is_refused(rep, attachments_dir):
    team = Team.objects.create(name="North")  # a record of a kind that registered no attachments
    with pytest.raises(ValidationError) as exc:
        attach(rep, team)
    assert "document_type" in exc.value.message_dict
    assert "plugin_app.widget" in exc.value.message_dict["document_type"][0]
    assert nothing_left(attachments_dir)


@pytest.mark.parametrize(
    ("name", "sample", "error"),
    [
        ("invoice.pdf", "exe", FileTypeRefusedError),  # a program named like a PDF
        ("invoice.pdf", "html", FileTypeRefusedError),  # a web page named like a PDF
        ("logo.png", "text", FileTypeRefusedError),  # text named like an image
        ("logo.png", "svg", FileTypeRefusedError),
        ("setup.exe", "exe", FileTypeRefusedError),
        ("empty.pdf", None, UploadRefusedError),
    ],
)
def test_spoofed_refused_and_empty_files_leave_nothing_behind(
    rep, widget, attachments_dir, name, sample, error
):
    with pytest.raises(error):
        attach(rep, widget, name, SAMPLES[sample] if sample else b"")
    assert nothing_left(attachments_dir)


def test_the_size_limit_comes_from_the_settings(rep, widget, attachments_dir, settings):
    settings.GUANXI_ATTACHMENT_MAX_BYTES = len(SAMPLES["pdf"])
    attach(rep, widget, "fits.pdf")
    settings.GUANXI_ATTACHMENT_MAX_BYTES = len(SAMPLES["pdf"]) - 1
    with pytest.raises(FileTooLargeError) as exc:
        attach(rep, widget, "too-big.pdf")
    assert exc.value.status == 413
    assert Attachment.objects.count() == 1 and len(stored_files(attachments_dir)) == 1


def test_a_failure_after_the_file_was_written_removes_it(rep, widget, attachments_dir, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(svc, "audit_record", broken)
    with pytest.raises(RuntimeError):
        attach(rep, widget)
    assert nothing_left(attachments_dir)


def test_a_bad_description_is_refused_before_anything_is_written(rep, widget, attachments_dir):
    with pytest.raises(ValidationError) as exc:
        attach(rep, widget, description="x" * 501)
    assert "description" in exc.value.message_dict
    assert nothing_left(attachments_dir)


def test_the_name_is_cleaned_of_folders_and_control_characters(rep, widget):
    a = svc.attachment_add(
        actor=rep,
        record=widget,
        file=upload("x.pdf", SAMPLES["pdf"]),
        name="..\\..\\C:\\合同\u202e\r\n  final.pdf",
    )
    assert a.original_name == "合同 final.pdf"


def test_someone_who_may_not_see_the_record_is_told_it_does_not_exist(stranger, widget, attachments_dir):
    with pytest.raises(NotFoundError):
        attach(stranger, widget)
    assert nothing_left(attachments_dir)


def test_someone_who_may_see_but_not_change_the_record_is_refused(viewer, widget, attachments_dir):
    with pytest.raises(PermissionDeniedError):
        attach(viewer, widget)
    assert nothing_left(attachments_dir)


def test_delete_is_audited_and_the_file_goes_after_commit(
    rep, widget, attachments_dir, django_capture_on_commit_callbacks
):
    a = attach(rep, widget, "offer.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        svc.attachment_delete(actor=rep, attachment=a)
    assert not Attachment.objects.exists()
    assert stored_files(attachments_dir) == []
    entry = history_for(subject_type=WIDGET, subject_id=widget.pk).filter(action="delete").get()
    assert entry.target_type == "core.attachment" and entry.changes["original_name"] == ["offer.pdf", None]


def test_a_delete_that_is_rolled_back_keeps_the_file(
    rep, widget, attachments_dir, django_capture_on_commit_callbacks
):
    a = attach(rep, widget)
    pk = a.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                svc.attachment_delete(actor=rep, attachment=a)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Attachment.objects.filter(pk=pk).exists() and len(stored_files(attachments_dir)) == 1


def test_delete_needs_the_right_to_change_the_record(rep, viewer, stranger, widget):
    a = attach(rep, widget)
    with pytest.raises(PermissionDeniedError):
        svc.attachment_delete(actor=viewer, attachment=a)
    with pytest.raises(NotFoundError):
        svc.attachment_delete(actor=stranger, attachment=a)
    other = widget_create(actor=rep, name="Other")
    with pytest.raises(NotFoundError):  # the record given must be the attachment's own
        svc.attachment_delete(actor=rep, attachment=a, record=other)
    assert Attachment.objects.filter(pk=a.pk).exists()


def test_delete_for_a_record_that_is_deleted_itself(
    rep, widget, attachments_dir, django_capture_on_commit_callbacks
):
    attach(rep, widget, "a.pdf")
    attach(rep, widget, "b.png", SAMPLES["png"])
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.attachments_delete_for(actor=rep, record=widget) == 2
    assert not Attachment.objects.exists() and stored_files(attachments_dir) == []
    assert AuditEntry.objects.filter(target_type="core.attachment", action="delete").count() == 2


def test_stray_files_are_swept_once_they_are_old(rep, widget, attachments_dir):
    import datetime as dt
    import io
    import os

    from django.core.management import call_command

    kept = attach(rep, widget)
    with transaction.atomic():  # a caller's transaction around the upload, rolled back afterwards
        sid = transaction.savepoint()
        attach(rep, widget, "rolled-back.png", SAMPLES["png"])
        transaction.savepoint_rollback(sid)
    assert len(stored_files(attachments_dir)) == 2 and Attachment.objects.count() == 1
    assert svc.attachment_strays_remove() == 0  # too recent: it might be an upload in flight
    old = (dt.datetime.now() - dt.timedelta(hours=7)).timestamp()
    for f in stored_files(attachments_dir):
        os.utime(f, (old, old))
    out = io.StringIO()
    call_command("attachments_cleanup", stdout=out)
    assert "Deleted 1 stray attachment files." in out.getvalue()
    assert [f.name for f in stored_files(attachments_dir)] == [kept.stored_name.rsplit("/", 1)[-1]]
