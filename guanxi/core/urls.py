from django.contrib.auth import views as auth_views
from django.urls import path

from guanxi.core.views import auth, companies, exports, numbering, settings

app_name = "core"
urlpatterns = [
    path("settings/users/", settings.users, name="users"),
    path("settings/users/new/", settings.user_edit, name="user_create"),
    path("settings/users/<int:pk>/", settings.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/sessions/end/", settings.user_sessions_end, name="user_sessions_end"),
    path("settings/teams/", settings.teams, name="teams"),
    path("settings/companies/", companies.companies, name="companies"),
    path("settings/companies/new/", companies.company_edit, name="company_create"),
    path("settings/companies/<int:pk>/", companies.company_edit, name="company_edit"),
    path("settings/companies/<int:pk>/logo/", companies.company_logo, name="company_logo"),
    path("settings/numbering/", numbering.numbering, name="numbering"),
    path(
        "settings/numbering/<str:doc_type>/<int:company_id>/", numbering.numbering_edit, name="numbering_edit"
    ),
    path(
        "settings/numbering/<str:doc_type>/<int:company_id>/preview/",
        numbering.numbering_preview,
        name="numbering_preview",
    ),
    path("settings/tokens/", settings.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", settings.token_revoke, name="token_revoke"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/sessions/", settings.sessions, name="sessions"),
    path("account/sessions/<int:pk>/end/", settings.session_end, name="session_end"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/notice/", exports.export_notice, name="export_notice"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<int:pk>/dismiss/", exports.export_dismiss, name="export_dismiss"),
]
