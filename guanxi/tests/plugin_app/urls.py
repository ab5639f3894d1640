from django.urls import path

from guanxi.tests.plugin_app import views

app_name = "plugin_app"
urlpatterns = [
    path("", views.widget_list, name="list"),
    path("<int:pk>/", views.widget_detail, name="detail"),
    path("<int:pk>/submit/", views.widget_submit_view, name="submit"),
]
