from django.contrib.auth import views as auth_views
from django.urls import path

from guanxi.core.views import approval_rules, approvals, auth, exports, nav, roles, settings

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
    path("settings/approval-rules/", approval_rules.rule_list, name="approval_rules"),
    path(
        "settings/approval-rules/new/<str:document>/", approval_rules.rule_edit, name="approval_rule_create"
    ),
    path("settings/approval-rules/<int:pk>/", approval_rules.rule_edit, name="approval_rule_edit"),
    path("settings/approval-rules/<int:pk>/delete/", approval_rules.rule_delete, name="approval_rule_delete"),
    path("settings/approval-rules/<int:pk>/move/", approval_rules.rule_move, name="approval_rule_move"),
    path(
        "settings/approval-rules/problems/<int:pk>/dismiss/",
        approval_rules.problem_dismiss,
        name="approval_problem_dismiss",
    ),
    path("settings/delegation/", approvals.delegation, name="delegation"),
    path("settings/delegation/<int:pk>/end/", approvals.delegation_end, name="delegation_end"),
    path("nav/badge/<slug:key>/", nav.nav_badge, name="nav_badge"),
    path("approvals/", approvals.inbox, name="approvals"),
    path("approvals/<int:pk>/", approvals.request_detail, name="approval"),
    path("approvals/<int:pk>/decide/", approvals.decide, name="approval_decide"),
    path("approvals/<int:pk>/withdraw/", approvals.withdraw, name="approval_withdraw"),
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
