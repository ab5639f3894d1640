from django.urls import include, path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project

urlpatterns = [*project, path("widgets/", include("guanxi.tests.plugin_app.urls"))]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
