from django.urls import path

from guanxi.catalog.views import imports, products, setup

app_name = "catalog"

urlpatterns = [
    path("", products.product_list, name="list"),
    path("new/", products.product_edit, name="create"),
    path("<int:pk>/", products.product_detail, name="detail"),
    path("<int:pk>/edit/", products.product_edit, name="edit"),
    path("<int:pk>/archive/", products.product_archive, name="archive"),
    path("<int:pk>/submit/", products.product_submit, name="submit"),
    path("export/<str:fmt>/", products.product_export, name="export"),
    path("import/", imports.product_import, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("categories/", setup.categories, name="categories"),
    path("categories/new/", setup.category_edit, name="category_create"),
    path("categories/<int:pk>/", setup.category_edit, name="category_edit"),
    path("units/", setup.units, name="units"),
    path("units/new/", setup.unit_edit, name="unit_create"),
    path("units/<int:pk>/", setup.unit_edit, name="unit_edit"),
]
