from django.contrib.auth import views as auth_views
from django.urls import path

from guanxi.core.views import (
    auth,
    companies,
    exchange_rates,
    exports,
    jobs,
    money,
    notifications,
    numbering,
    printing,
    roles,
    settings,
    webhooks,
)

app_name = "core"
urlpatterns = [
    path("settings/users/", settings.users, name="users"),
    path("settings/users/new/", settings.user_edit, name="user_create"),
    path("settings/users/<int:pk>/", settings.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/sessions/end/", settings.user_sessions_end, name="user_sessions_end"),
    path("settings/teams/", settings.teams, name="teams"),
    path("settings/teams/<int:pk>/webhooks/", webhooks.team_webhooks, name="team_webhooks"),
    path("settings/webhooks/<int:pk>/", webhooks.webhook_edit, name="webhook_edit"),
    path("settings/webhooks/<int:pk>/test/", webhooks.webhook_test, name="webhook_test"),
    path("settings/webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("settings/roles/", roles.role_list, name="roles"),
    path("settings/roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("settings/roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
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
    path("settings/currencies/", money.currencies, name="currencies"),
    path("settings/currencies/new/", money.currency_edit, name="currency_create"),
    path("settings/currencies/<str:code>/", money.currency_edit, name="currency_edit"),
    path("settings/tax-rates/", money.tax_rates, name="tax_rates"),
    path("settings/tax-rates/new/", money.tax_rate_edit, name="tax_rate_create"),
    path("settings/tax-rates/<int:pk>/", money.tax_rate_edit, name="tax_rate_edit"),
    path("settings/exchange-rates/", exchange_rates.exchange_rates, name="exchange_rates"),
    path("settings/exchange-rates/new/", exchange_rates.exchange_rate_create, name="exchange_rate_create"),
    path("settings/exchange-rates/import/", exchange_rates.exchange_rate_import, name="exchange_rate_import"),
    path(
        "settings/exchange-rates/convert/", exchange_rates.exchange_rate_convert, name="exchange_rate_convert"
    ),
    path(
        "settings/exchange-rates/history/", exchange_rates.exchange_rate_history, name="exchange_rate_history"
    ),
    path("settings/exchange-rates/<int:pk>/", exchange_rates.exchange_rate_edit, name="exchange_rate_edit"),
    path(
        "settings/exchange-rates/<int:pk>/delete/",
        exchange_rates.exchange_rate_delete,
        name="exchange_rate_delete",
    ),
    path("settings/jobs/", jobs.jobs, name="jobs"),
    path("settings/jobs/<str:name>/run/", jobs.job_run_now, name="job_run_now"),
    path("account/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("account/sessions/", settings.sessions, name="sessions"),
    path("account/sessions/<int:pk>/end/", settings.session_end, name="session_end"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("print/<str:document>/<int:pk>/<slug:key>/", printing.print_preview, name="print_preview"),
    path("print/<str:document>/<int:pk>/<slug:key>/pdf/", printing.print_pdf, name="print_pdf"),
    path("account/notifications/", notifications.preferences, name="notification_preferences"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/count/", notifications.notification_count, name="notification_count"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/notice/", exports.export_notice, name="export_notice"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<int:pk>/dismiss/", exports.export_dismiss, name="export_dismiss"),
]
