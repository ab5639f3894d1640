from django.contrib.auth import views as auth_views
from django.urls import path

from guanxi.core.views import attachments, auth, exports, roles, settings

app_name = "core"
urlpatterns = [
    path("settings/users/", settings.users, name="users"),
    path("settings/users/new/", settings.user_edit, name="user_create"),
    path("settings/users/<int:pk>/", settings.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/sessions/end/", settings.user_sessions_end, name="user_sessions_end"),
    path("settings/teams/", settings.teams, name="teams"),
    path("settings/roles/", roles.role_list, name="roles"),
    path("settings/roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("settings/roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
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
    path("attachments/<int:pk>/download/", attachments.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/preview/", attachments.attachment_preview, name="attachment_preview"),
    path("attachments/<int:pk>/delete/", attachments.attachment_delete, name="attachment_delete"),
    path("attachments/<str:document_type>/<str:object_id>/", attachments.attachment_list, name="attachments"),
]
