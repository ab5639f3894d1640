"""Messages that show a count use the right English plural (ngettext), not "1 records"."""

import pytest
from django.urls import reverse

from guanxi.core.roles import SALES_REP
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(("tagged", "message"), [(1, "it was on 1 record."), (2, "it was on 2 records.")])
def test_tag_delete_message(admin_client, admin_user, tagged, message):
    tag = tag_create(actor=admin_user, name="Old tag")
    parties_bulk_tag(actor=admin_user, ids=[make_org(admin_user).pk for _ in range(tagged)], tag=tag)
    response = admin_client.post(reverse("parties:tag_delete", args=[tag.pk]), follow=True)
    assert f"Tag “Old tag” deleted; {message}" in messages_of(response)


def test_bulk_messages_in_the_singular(admin_client, admin_user, make_user):
    org = make_org(admin_user, "Solo")
    tag = tag_create(actor=admin_user, name="VIP")
    bulk = reverse("parties:bulk")
    response = admin_client.post(bulk, {"action": "tag", "tag": tag.pk, "ids": [org.pk]}, follow=True)
    assert "Tag “VIP” added to 1 record." in messages_of(response)
    olga = make_user("olga", roles=[SALES_REP])
    response = admin_client.post(bulk, {"action": "assign", "owner": olga.pk, "ids": [org.pk]}, follow=True)
    assert "1 record assigned to olga." in messages_of(response)
    response = admin_client.post(bulk, {"action": "tag", "tag": tag.pk, "ids": [org.pk]}, follow=True)
    assert "1 selected record was left as it was (already done, or not yours to change)." in messages_of(
        response
    )
