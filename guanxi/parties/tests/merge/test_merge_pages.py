"""The merge pages and API, end to end through the client: list, pick, compare, merge, undo, merge again."""

from guanxi.parties.tests.factories import make_org


def test_duplicates_merge_and_undo_through_pages_and_api(
    client, admin_user, django_capture_on_commit_callbacks
):
    a = make_org(admin_user, "华为技术有限公司", phones=["+86 755 2878 0808"])
    b = make_org(admin_user, "华为技术股份有限公司", phones=["+86 755 2878 0808"])
    client.force_login(admin_user)
    r = client.get("/parties/duplicates/")
    assert "No scan has run yet" in r.content.decode() and "华为技术股份有限公司" not in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/parties/duplicates/scan/")
    assert r.status_code == 302
    r = client.get("/parties/duplicates/")
    assert r.status_code == 200, r.content[:500]
    html = r.content.decode()
    assert "华为技术股份有限公司" in html and "same phone" in html, html[-3000:]
    r = client.get(f"/parties/merge/?a={a.pk}")
    assert r.status_code == 200 and "华为技术股份有限公司" in r.content.decode()
    r = client.get(f"/parties/merge/?a={a.pk}&b={b.pk}")
    assert r.status_code == 200
    r = client.post(
        f"/parties/merge/?a={a.pk}&b={b.pk}",
        {"keep": a.pk, f"version_{a.pk}": a.version, f"version_{b.pk}": b.version},
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    r = client.get(r["Location"])
    assert "was merged into this record" in r.content.decode()
    r = client.get(f"/parties/{b.pk}/")
    assert "This record was merged into" in r.content.decode()
    r = client.get("/api/v1/parties/merges")
    mid = r.json()[0]["id"]
    r = client.post(f"/api/v1/parties/merges/{mid}/undo", content_type="application/json")
    assert r.status_code == 200, r.content
    r = client.post("/api/v1/parties/merges", {"kept": b.pk, "merged": a.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["records_left"] == {"parties.contactpoint": 1}  # the same phone on both: not doubled
    r = client.get("/api/v1/parties/duplicates")
    assert r.status_code == 200 and r.json() == [], r.json()


def test_the_duplicates_list_pages_with_a_cursor(client, admin_user):
    """No count over every suggestion (1.4 s at 2.5M parties): a page, and links to the next and previous."""
    from guanxi.parties.services.duplicate_scan import duplicates_refresh

    for i in range(27):
        phone = f"+86 21 6100 {i:04d}"
        make_org(admin_user, f"Twin {i:02d} Works Co", phones=[phone])
        make_org(admin_user, f"Twin {i:02d} Works Limited", phones=[phone])
    duplicates_refresh()
    client.force_login(admin_user)
    first = client.get("/parties/duplicates/").content.decode()
    assert first.count('class="button small primary"') == 25 and "Previous" not in first
    next_url = first.split('href="?cursor=')[1].split('"')[0]
    second = client.get(f"/parties/duplicates/?cursor={next_url}").content.decode()
    assert second.count('class="button small primary"') == 2 and "Previous" in second
    r = client.get("/parties/duplicates/?cursor=not-a-cursor")
    assert r.status_code == 302 and r["Location"] == "/parties/duplicates/"
