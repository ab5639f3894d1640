"""The public lead form (/f/<key>/): no sign-in and no CSRF cookie, a honeypot, a rate limit per address, the
same thanks whatever happens, framing only by the sites named; and Settings → Web forms."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanxi.core.models import Notification
from guanxi.crm.models import Lead, WebForm
from guanxi.crm.services.web_forms import web_form_save

pytestmark = pytest.mark.django_db

THANKS = "Thank you. We have your message"
ENTRY = {
    "company_name": "深圳新客户科技有限公司",
    "person_name": "李雷",
    "phone": "13800138000",
    "interest": "交换机",
}


@pytest.fixture
def anon():
    return Client(enforce_csrf_checks=True)


def _form(world, **data):
    data = {
        "name": "官网咨询",
        "owner": world.rep.pk,
        "team": world.east.pk,
        "campaign": "2026 官网",
        "active": True,
        **data,
    }
    return web_form_save(actor=world.manager, form=None, data=data)


def _post(client, form, data=None, ip="203.0.113.7", **extra):
    return client.post(reverse("lead_form", args=[form.key]), data or ENTRY, REMOTE_ADDR=ip, **extra)


def test_the_form_opens_without_signing_in(world, anon):
    form = _form(world)
    r = anon.get(form.get_public_url())
    html = r.content.decode()
    assert r.status_code == 200 and 'id="lead-form"' in html and "官网咨询" in html
    assert 'name="website"' in html and 'name="job_title"' not in html
    assert "csrfmiddlewaretoken" not in html


def test_an_entry_becomes_a_lead_of_the_forms_team_and_owner(world, anon):
    form = _form(world, owner=world.mate.pk)
    r = _post(anon, form)
    assert r.status_code == 200 and THANKS in r.content.decode()
    lead = Lead.objects.get()
    assert (lead.owner, lead.team, lead.web_form, lead.source) == (world.mate, world.east, form, "web_form")
    assert (lead.campaign, lead.phone_e164, lead.submitted_ip) == (
        "2026 官网",
        "+8613800138000",
        "203.0.113.7",
    )
    assert (lead.status, lead.created_by) == ("new", None)


def test_a_form_without_owner_gives_the_team_an_unowned_lead(world, anon):
    form = _form(world, owner="")
    assert THANKS in _post(anon, form).content.decode()
    lead = Lead.objects.get()
    assert lead.owner is None and lead.team == world.east


def test_the_owner_is_told_in_the_app(world, anon, django_capture_on_commit_callbacks):
    form = _form(world)
    with django_capture_on_commit_callbacks(execute=True):
        _post(anon, form)
    lead = Lead.objects.get()
    note = Notification.objects.get(recipient=world.rep)
    assert (note.event, note.url, note.in_app) == ("lead.new", lead.get_absolute_url(), True)
    assert "深圳新客户科技有限公司" in note.title
    assert Notification.objects.count() == 1


def test_an_inactive_owner_is_not_given_the_lead(world, anon, django_capture_on_commit_callbacks):
    form = _form(world)
    world.rep.is_active = False
    world.rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert THANKS in _post(anon, form).content.decode()
    lead = Lead.objects.get()
    assert lead.owner is None and lead.team == world.east and Notification.objects.count() == 0


def test_a_bot_that_fills_the_honeypot_is_thanked_and_nothing_is_stored(
    world, anon, django_capture_on_commit_callbacks
):
    form = _form(world)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(anon, form, {**ENTRY, "website": "http://spam.example"})
    assert r.status_code == 200 and THANKS in r.content.decode()
    assert Lead.objects.count() == 0 and Notification.objects.count() == 0


def test_the_sixth_entry_from_one_address_in_ten_minutes_is_thanked_but_not_stored(world, anon):
    form = _form(world)
    for i in range(5):
        assert THANKS in _post(anon, form, {**ENTRY, "person_name": f"访客{i}"}).content.decode()
    r = _post(anon, form, {**ENTRY, "person_name": "第六位"})
    assert r.status_code == 200 and THANKS in r.content.decode()
    assert Lead.objects.count() == 5 and not Lead.objects.filter(person_name="第六位").exists()
    # X-Forwarded-For is the client's word when no proxy is configured: it does not lift the limit
    _post(anon, form, {**ENTRY, "person_name": "伪装"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert Lead.objects.count() == 5
    # another address may still write, and once the window has passed so may the first
    _post(anon, form, {**ENTRY, "person_name": "邻居"}, ip="203.0.113.8")
    Lead.objects.filter(submitted_ip="203.0.113.7").update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    _post(anon, form, {**ENTRY, "person_name": "回来了"})
    assert set(Lead.objects.values_list("person_name", flat=True)) >= {"邻居", "回来了"}


def test_with_a_trusted_proxy_the_forwarded_address_is_the_clients(world, anon, settings):
    settings.GUANXI_PROXY_COUNT = 1
    form = _form(world)
    _post(anon, form, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert Lead.objects.get().submitted_ip == "198.51.100.9"


@pytest.mark.parametrize("how", ["inactive", "unknown"])
def test_a_closed_or_unknown_form_is_a_404_page(world, anon, how):
    form = _form(world, active=False)
    key = form.key if how == "inactive" else "no-such-form"
    r = anon.get(reverse("lead_form", args=[key]))
    assert r.status_code == 404 and "This form is closed" in r.content.decode()
    r = anon.post(reverse("lead_form", args=[key]), ENTRY, REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 404 and Lead.objects.count() == 0


def test_an_entry_without_any_contact_detail_shows_the_error(world, anon):
    form = _form(world)
    r = _post(anon, form, {"company_name": "无联系方式公司", "interest": "报价"})
    html = r.content.decode()
    assert r.status_code == 200 and THANKS not in html
    assert "Leave a phone number, an email address or a WeChat ID" in html
    assert 'value="无联系方式公司"' in html and Lead.objects.count() == 0


def test_bad_input_shows_the_field_error(world, anon):
    form = _form(world)
    r = _post(anon, form, {"person_name": "Tom", "email": "tom@"})
    assert "Enter a valid email address." in r.content.decode() and Lead.objects.count() == 0
    r = _post(anon, form, {"email": "tom@example.com"})
    assert "Give the person" in r.content.decode() and Lead.objects.count() == 0


def test_the_answer_is_the_same_whether_the_company_is_known_or_not(world, anon):
    form = _form(world)
    known = _post(anon, form, {**ENTRY, "company_name": world.huawei.name, "person_name": world.zhang.name})
    new = _post(anon, form, {**ENTRY, "company_name": "从没听说过的公司"}, ip="203.0.113.9")
    assert known.status_code == new.status_code == 200
    assert known.content == new.content and THANKS in known.content.decode()
    assert "华为" not in known.content.decode()
    assert Lead.objects.count() == 2


def test_framing_is_allowed_only_to_the_sites_named(world, anon):
    open_form = _form(world, embed_origins="https://www.example.com, https://shop.example.com/")
    r = anon.get(open_form.get_public_url())
    csp = r["Content-Security-Policy"]
    assert "frame-ancestors https://www.example.com https://shop.example.com" in csp
    assert "'none'" not in csp.split("frame-ancestors")[1].split(";")[0]
    assert r.get("X-Frame-Options") != "DENY"
    closed = _form(world, name="内部")
    r = anon.get(closed.get_public_url())
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"] and r["X-Frame-Options"] == "DENY"


# Settings → Web forms ---------------------------------------------------------------------------------------


def _settings_post(client, **data):
    data = {
        "name": "展会扫码",
        "owner": "",
        "team": "",
        "campaign": "",
        "embed_origins": "",
        "active": "on",
        **data,
    }
    return client.post(reverse("crm:web_form_create"), data)


def test_a_sales_manager_creates_a_web_form(world, client):
    client.force_login(world.manager)
    assert client.get(reverse("crm:web_forms")).status_code == 200
    r = _settings_post(
        client,
        owner=world.rep.pk,
        team=world.east.pk,
        embed_origins="https://WWW.Example.com\nhttp://b.example",
    )
    assert r.status_code == 302 and r["Location"] == reverse("crm:web_forms")
    w = WebForm.objects.get()
    assert (w.owner, w.team, w.active) == (world.rep, world.east, True)
    assert w.embed_origins == "https://www.example.com\nhttp://b.example"
    listing = client.get(reverse("crm:web_forms")).content.decode()
    assert w.get_public_url() in listing and "展会扫码" in listing


@pytest.mark.parametrize(
    "origins", ["ftp://x", "https://a.com/path", "www.example.com", "https://a.com/?q=1"]
)
def test_embed_origins_must_be_web_origins(world, client, origins):
    client.force_login(world.manager)
    r = _settings_post(client, embed_origins=origins)
    assert r.status_code == 200
    assert "is not a web address like https://www.example.com" in r.content.decode()
    assert WebForm.objects.count() == 0


def test_a_rep_may_not_manage_web_forms(world, client):
    form = _form(world)
    client.force_login(world.rep)
    for url in (
        reverse("crm:web_forms"),
        reverse("crm:web_form_create"),
        reverse("crm:web_form_edit", args=[form.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert _settings_post(client).status_code == 403
    assert WebForm.objects.count() == 1
