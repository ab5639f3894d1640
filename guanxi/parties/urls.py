from django.urls import path

from guanxi.parties.views import exports, links, lists, merges, records, regions, tags

app_name = "parties"
urlpatterns = [
    path("", lists.party_list, name="list"),
    path("bulk/", lists.party_bulk, name="bulk"),
    path("export.<str:fmt>", exports.party_export, name="export"),
    path("new/<str:kind>/", records.party_create, name="create"),
    path("duplicates/", merges.duplicate_list, name="duplicates"),
    path("duplicates/dismiss/", merges.duplicate_dismiss, name="duplicate_dismiss"),
    path("duplicates/scan/", merges.duplicate_scan, name="duplicate_scan"),
    path("merge/", merges.merge_compare, name="merge"),
    path("merges/<int:pk>/undo/", merges.merge_undo, name="merge_undo"),
    path("tags/", tags.tag_list, name="tags"),
    path("tags/new/", tags.tag_edit, name="tag_create"),
    path("tags/<int:pk>/", tags.tag_edit, name="tag_edit"),
    path("tags/<int:pk>/delete/", tags.tag_delete, name="tag_delete"),
    path("<int:pk>/", records.party_detail, name="detail"),
    path("<int:pk>/edit/", records.party_edit, name="edit"),
    path("<int:pk>/archive/", records.party_archive, name="archive"),
    path("<int:pk>/addresses/new/", records.address_edit, name="address_create"),
    path("<int:pk>/addresses/<int:address_pk>/", records.address_edit, name="address_edit"),
    path("<int:pk>/addresses/<int:address_pk>/delete/", records.address_delete, name="address_delete"),
    path("<int:pk>/notes/", records.note_add, name="note_add"),
    path("lookup/organizations/", links.organization_lookup, name="organization_lookup"),
    path("lookup/regions/<str:level>/", regions.region_options, name="region_options"),
    path("lookup/address-location/", regions.address_location, name="address_location"),
    path("<int:pk>/organizations/", links.employment_add, name="employment_add"),
    path(
        "<int:pk>/contacts/<int:employment_pk>/remove/", records.employment_remove, name="employment_remove"
    ),
]
