import datetime as dt

from django.urls import reverse

from guanxi.crm.models import Lead, WebForm
from guanxi.crm.services.leads import lead_create


def test_lead_pages_and_public_form(client, world):
    form = WebForm.objects.create(name="官网咨询", owner=world.rep, team=world.east)
    r = client.post(
        reverse("lead_form", args=[form.key]),
        {
            "company_name": "深圳新客户科技有限公司",
            "person_name": "李雷",
            "phone": "13800138000",
            "interest": "交换机",
        },
        REMOTE_ADDR="10.0.0.1",
    )
    assert r.status_code == 200 and "thanks" in r.content.decode()
    lead = Lead.objects.get()
    assert lead.owner == world.rep and lead.team == world.east and lead.phone_e164 == "+8613800138000"
    client.force_login(world.rep)
    for url in [
        reverse("crm:leads"),
        reverse("crm:lead", args=[lead.pk]),
        reverse("crm:lead_edit", args=[lead.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    r = client.post(
        reverse("crm:lead_status", args=[lead.pk]), {"status": "qualified", "version": lead.version}
    )
    lead.refresh_from_db()
    assert lead.status == "qualified"
    assert client.get(reverse("crm:lead_convert", args=[lead.pk])).status_code == 200
    stage = world.stages["Qualification"]
    r = client.post(
        reverse("crm:lead_convert", args=[lead.pk]),
        {
            "organization": "new",
            "contact": "new",
            "create_opportunity": "on",
            "opportunity_name": "交换机项目",
            "stage": stage.pk,
            "amount": "50000",
            "expected_close": dt.date(2027, 3, 31).isoformat(),
            "version": lead.version,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.organization.name == "深圳新客户科技有限公司"
    assert lead.contact.name == "李雷" and lead.opportunity.customer == lead.organization


def test_manual_lead(world):
    lead = lead_create(actor=world.rep, data={"person_name": "Tom", "email": "TOM@Example.COM"})
    assert lead.email == "TOM@example.com" and lead.owner == world.rep
