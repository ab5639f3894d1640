from django.urls import reverse

from guanxi.crm.tests.factories import make_opportunity


def test_pages_render(client, world):
    o = make_opportunity(world.rep, world.huawei, amount="120000")
    client.force_login(world.rep)
    for url in [
        reverse("crm:board"),
        reverse("crm:pipeline_board", args=[world.pipeline.pk]),
        reverse("crm:opportunities"),
        reverse("crm:opportunity", args=[o.pk]),
        reverse("crm:opportunity", args=[o.pk]) + "?tab=history",
        reverse("crm:opportunity", args=[o.pk]) + "?tab=activities",
        reverse("crm:opportunity_edit", args=[o.pk]),
        reverse("crm:opportunity_create") + f"?customer={world.huawei.pk}",
        reverse("crm:opportunity_lose", args=[o.pk]),
        world.huawei.get_absolute_url(),
        world.huawei.get_absolute_url() + "?tab=opportunities",
    ]:
        r = client.get(url, follow=True)
        assert r.status_code == 200, url
    client.force_login(world.admin)
    assert client.get(reverse("crm:pipelines")).status_code == 200
