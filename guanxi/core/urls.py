from django.contrib.auth import views as auth_views
from django.urls import path

from guanxi.core.views import auth, settings

app_name = "core"
urlpatterns = [
    path("settings/users/", settings.users, name="users"),
    path("settings/users/new/", settings.user_edit, name="user_create"),
    path("settings/users/<int:pk>/", settings.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/sessions/end/", settings.user_sessions_end, name="user_sessions_end"),
    path("settings/teams/", settings.teams, name="teams"),
    path("settings/tokens/", settings.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", settings.token_revoke, name="token_revoke"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/sessions/", settings.sessions, name="sessions"),
    path("account/sessions/<int:pk>/end/", settings.session_end, name="session_end"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
