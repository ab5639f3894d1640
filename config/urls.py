from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from config.api import api
from guanxi.core.views import auth, errors
from guanxi.crm.views import web_forms as crm_web_forms

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("language/", auth.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="jsi18n"),
    path("api/v1/", api.urls),
    re_path(r"^api/", errors.api_not_found),  # any other /api/ path: a problem+json 404, not the HTML page
    path("", include("guanxi.core.urls")),
    path("parties/", include("guanxi.parties.urls")),
    path("catalogue/", include("guanxi.catalog.urls")),
    path("sales/", include("guanxi.crm.urls")),
    path("suppliers/", include("guanxi.suppliers.urls")),
    path("purchasing/", include("guanxi.procurement.urls")),
    path("f/<str:key>/", crm_web_forms.public_form, name="lead_form"),  # public: a company's lead form
    path("activities/", include("guanxi.activities.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
