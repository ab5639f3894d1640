from django.urls import path

from guanxi.tests.plugin_app import views

app_name = "plugin_app"
urlpatterns = [path("", views.widget_list, name="list")]
