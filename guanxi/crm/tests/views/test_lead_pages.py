"""The lead pages: the list (filters, empty state, a cost that does not grow with its rows), a lead's page
with its status buttons and disqualify form, the edit form (a stale version keeps the input), the conversion
page with the duplicates found, and who gets 403 / 404."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanxi.crm.models import DisqualifyReason, Lead, Opportunity
from guanxi.crm.services import leads as svc
from guanxi.parties.models import Party

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _lead(world, actor=None, **data):
    data = {"company_name": "深圳新客户科技有限公司", "person_name": "李雷", "phone": "13800138000", **data}
    return svc.lead_create(actor=actor or world.rep, data=data)


def _qualified(world, **data):
    return svc.lead_set_status(actor=world.rep, lead=_lead(world, **data), version=1, status="qualified")


def _rows(response) -> list[str]:
    return re.findall(r'<tr>\s*<td><a href="/sales/leads/\d+/">([^<]*)</a>', response.content.decode())


def _checked(html: str, name: str) -> str | None:
    for tag in re.findall(rf'<input type="radio" name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag)[1]
    return None


# The list ---------------------------------------------------------------------------------------------------


def test_empty_list_offers_the_first_lead(world, client):
    client.force_login(world.rep)
    html = client.get(reverse("crm:leads")).content.decode()
    assert "No leads yet." in html and reverse("crm:lead_create") in html
    html = client.get(reverse("crm:leads"), {"q": "nothing"}).content.decode()
    assert "No records match these filters." in html


def test_read_only_roles_see_the_list_without_new_lead_and_others_get_403(world, client):
    _lead(world)
    client.force_login(world.executive)
    html = client.get(reverse("crm:leads")).content.decode()
    assert _rows(client.get(reverse("crm:leads"))) == ["深圳新客户科技有限公司 · 李雷"]
    assert reverse("crm:lead_create") not in html
    for user in (world.buyer, world.service):
        client.force_login(user)
        assert client.get(reverse("crm:leads")).status_code == 403


def test_list_filters(world, client):
    _lead(world, company_name="Alpha", phone="")
    beta = _lead(world, actor=world.mate, company_name="Beta", person_name="王芳", email="wf@beta.cn")
    svc.lead_set_status(actor=world.mate, lead=beta, version=1, status="working")
    gone = _lead(world, company_name="Gamma")
    reason = DisqualifyReason.objects.first()
    svc.lead_set_status(actor=world.rep, lead=gone, version=1, status="disqualified", reason=reason)
    _lead(world, actor=world.rep_west, company_name="West Lead")
    client.force_login(world.rep)

    def names(**params):
        return [n.split(" · ")[0] for n in _rows(client.get(reverse("crm:leads"), params))]

    assert names() == ["Beta", "Alpha"]
    assert names(status="all") == ["Gamma", "Beta", "Alpha"]
    assert names(status="disqualified") == ["Gamma"]
    assert names(owner="me") == ["Alpha"]
    assert names(owner=str(world.mate.pk)) == ["Beta"]
    assert names(q="beta.cn") == ["Beta"]
    assert names(source="web_form") == []
    r = client.get(reverse("crm:leads"), {"status": "bogus"})
    assert r.status_code == 200 and "Choose a status from the list." in r.content.decode()
    partial = client.get(reverse("crm:leads"), {"status": "all"}, headers=HTMX).content.decode()
    assert "<h1>" not in partial and "Gamma" in partial and "3 records" in partial


def test_list_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries):
    for i in range(3):
        _lead(world, company_name=f"Co {i}", actor=world.mate if i % 2 else world.rep)
    client.force_login(world.rep)
    client.get(reverse("crm:leads"))
    with CaptureQueriesContext(connection) as small:
        assert len(_rows(client.get(reverse("crm:leads")))) == 3
    for i in range(3, 20):
        _lead(world, company_name=f"Co {i}", actor=world.mate if i % 2 else world.rep)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(_rows(client.get(reverse("crm:leads")))) == 20
    assert len(small.captured_queries) <= 15, [q["sql"] for q in small.captured_queries]


# A lead's page ----------------------------------------------------------------------------------------------


def test_the_lead_page_shows_the_facts_and_the_buttons_of_its_status(world, client):
    lead = _lead(world, email="li@xinkehu.cn", interest="交换机\n机柜")
    client.force_login(world.rep)
    url = reverse("crm:lead", args=[lead.pk])
    html = client.get(url).content.decode()
    assert 'href="tel:+8613800138000"' in html and "li@xinkehu.cn" in html and "交换机\n机柜" in html
    assert 'value="working"' in html and 'id="lead-qualify"' in html and 'id="lead-convert"' not in html
    assert 'id="disqualify-form"' in html
    r = client.post(reverse("crm:lead_status", args=[lead.pk]), {"status": "qualified", "version": 1})
    assert r.status_code == 302 and r["Location"] == url
    html = client.get(url).content.decode()
    assert 'id="lead-convert"' in html and 'id="lead-qualify"' not in html
    assert "Lead 深圳新客户科技有限公司 · 李雷: Qualified." in html
    history = client.get(url, {"tab": "history"}).content.decode()
    assert history.count("<tr><td>") == 2
    assert '<span class="old">New</span> → <span class="new">Qualified</span>' in history


def test_read_only_users_get_no_buttons(world, client):
    lead = _lead(world)
    client.force_login(world.executive)
    html = client.get(reverse("crm:lead", args=[lead.pk])).content.decode()
    assert "李雷" in html and 'id="lead-qualify"' not in html and 'id="disqualify-form"' not in html


def test_disqualify_needs_a_reason_and_a_disqualified_lead_reopens(world, client):
    lead = _lead(world)
    client.force_login(world.rep)
    status_url = reverse("crm:lead_status", args=[lead.pk])
    r = client.post(
        status_url, {"status": "disqualified", "version": 1, "disqualify_reason": ""}, follow=True
    )
    assert "Say why the lead is disqualified." in r.content.decode()
    lead.refresh_from_db()
    assert lead.status == "new"
    reason = DisqualifyReason.objects.first()
    client.post(
        status_url,
        {
            "status": "disqualified",
            "version": 1,
            "disqualify_reason": reason.pk,
            "disqualify_note": "已买竞品",
        },
    )
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason, lead.disqualify_note) == ("disqualified", reason, "已买竞品")
    html = client.get(reverse("crm:lead", args=[lead.pk])).content.decode()
    assert "Reopen" in html and "已买竞品" in html and 'id="disqualify-form"' not in html
    r = client.post(status_url, {"status": "working", "version": 1}, follow=True)  # stale
    assert "Someone else changed this record" in r.content.decode()
    client.post(status_url, {"status": "working", "version": 2})
    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason) == ("working", None)


# The edit form ----------------------------------------------------------------------------------------------


def test_new_lead_form_shows_errors_and_keeps_the_input(world, client):
    client.force_login(world.rep)
    data = {"company_name": "输入保留公司", "phone": "12", "source": "manual", "owner": world.rep.pk}
    r = client.post(reverse("crm:lead_create"), data)
    html = r.content.decode()
    assert r.status_code == 200 and 'value="输入保留公司"' in html and 'class="error"' in html
    assert Lead.objects.count() == 0
    r = client.post(reverse("crm:lead_create"), {**data, "phone": "13800138000"})
    lead = Lead.objects.get()
    assert r.status_code == 302 and r["Location"] == lead.get_absolute_url() and lead.owner == world.rep


def test_a_stale_edit_keeps_the_input_and_says_so(world, client):
    lead = _lead(world)
    client.force_login(world.rep)
    url = reverse("crm:lead_edit", args=[lead.pk])
    assert 'value="深圳新客户科技有限公司"' in client.get(url).content.decode()
    svc.lead_update(actor=world.mate, lead=lead, version=1, data={"job_title": "经理"})
    data = {
        "company_name": "我的改动",
        "person_name": "李雷",
        "source": "manual",
        "owner": world.rep.pk,
        "version": 1,
    }
    r = client.post(url, data)
    html = r.content.decode()
    assert r.status_code == 200 and "Someone else changed this record after you opened it" in html
    assert 'value="我的改动"' in html
    lead.refresh_from_db()
    assert (lead.company_name, lead.version) == ("深圳新客户科技有限公司", 2)
    r = client.post(url, {**data, "version": 2})
    lead.refresh_from_db()
    assert r.status_code == 302 and lead.company_name == "我的改动"


# Conversion -------------------------------------------------------------------------------------------------


def test_convert_page_preselects_the_visible_organization_with_the_same_name(world, client):
    lead = _qualified(world, company_name="华为技术有限公司", person_name="王芳")
    client.force_login(world.rep)
    html = client.get(reverse("crm:lead_convert", args=[lead.pk])).content.decode()
    assert _checked(html, "organization") == str(world.huawei.pk)
    assert _checked(html, "contact") == "new"
    assert world.huawei.get_absolute_url() in html and "you cannot open (" not in html
    parties = Party.objects.count()
    data = {"organization": world.huawei.pk, "contact": "new", "create_opportunity": "on", "version": 2}
    data |= {"stage": world.stages["Proposal"].pk, "expected_close": dt.date(2027, 1, 31).isoformat()}
    r = client.post(reverse("crm:lead_convert", args=[lead.pk]), data)
    opp = Opportunity.objects.get()
    assert r.status_code == 302 and r["Location"] == opp.get_absolute_url()
    assert opp.customer == world.huawei and opp.stage == world.stages["Proposal"]
    assert Party.objects.count() == parties + 1


def test_invisible_duplicates_are_named_only_by_their_owner(world, client):
    lead = _qualified(world, company_name="West Co", person_name="赵先生")
    client.force_login(world.rep)
    url = reverse("crm:lead_convert", args=[lead.pk])
    html = client.get(url).content.decode()
    assert f"An organization you cannot open (same name), owned by {world.rep_west}" in html
    assert world.west_co.get_absolute_url() not in html
    offered = re.findall(r'<input type="radio" name="organization" value="([^"]*)"', html)
    assert offered == ["new", ""] and _checked(html, "organization") == "new"
    r = client.post(url, {"organization": world.west_co.pk, "contact": "new", "version": 2})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    lead.refresh_from_db()
    assert lead.status == "qualified" and lead.organization is None


def test_a_conversion_error_is_shown_on_the_form_and_leaves_nothing(world, client):
    lead = _qualified(world)
    client.force_login(world.rep)
    parties = Party.objects.count()
    r = client.post(
        reverse("crm:lead_convert", args=[lead.pk]),
        {
            "organization": "new",
            "contact": "new",
            "create_opportunity": "on",
            "expected_close": "",
            "version": 2,
        },
    )
    assert r.status_code == 200 and "Enter the date you expect to close it." in r.content.decode()
    assert Party.objects.count() == parties and Opportunity.objects.count() == 0


def test_a_converted_lead_sends_the_convert_page_back_to_the_lead(world, client):
    lead = _qualified(world)
    client.force_login(world.rep)
    client.post(
        reverse("crm:lead_convert", args=[lead.pk]), {"organization": "new", "contact": "new", "version": 2}
    )
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.opportunity is None
    r = client.get(reverse("crm:lead_convert", args=[lead.pk]))
    assert r.status_code == 302 and r["Location"] == lead.get_absolute_url()
    html = client.get(lead.get_absolute_url()).content.decode()
    assert lead.organization.get_absolute_url() in html and 'id="lead-qualify"' not in html


def test_the_menu_offers_leads_and_web_forms(world, client):
    client.force_login(world.manager)
    menu = client.get(reverse("crm:opportunities")).content.decode()
    menu = menu.split('<nav class="sidenav"')[1].split("</nav>")[0]
    assert reverse("crm:opportunities") in menu  # the menu is there
    assert reverse("crm:leads") in menu and reverse("crm:web_forms") in menu


# Who gets 403 / 404 -----------------------------------------------------------------------------------------


def test_executive_gets_403_on_changes_and_another_team_404_everywhere(world, client):
    lead = _qualified(world)
    pages = ["crm:lead_edit", "crm:lead_convert"]
    client.force_login(world.executive)
    for name in pages:
        assert client.get(reverse(name, args=[lead.pk])).status_code == 403, name
    assert client.get(reverse("crm:lead_create")).status_code == 403
    assert (
        client.post(reverse("crm:lead_status", args=[lead.pk]), {"status": "new", "version": 2}).status_code
        == 403
    )
    client.force_login(world.rep_west)
    for name in ["crm:lead", *pages]:
        assert client.get(reverse(name, args=[lead.pk])).status_code == 404, name
    assert (
        client.post(reverse("crm:lead_status", args=[lead.pk]), {"status": "new", "version": 2}).status_code
        == 404
    )
    lead.refresh_from_db()
    assert lead.status == "qualified"
