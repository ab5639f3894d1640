from django.urls import path

from guanxi.crm.views import board, forecast, leads, opportunities, setup, web_forms

app_name = "crm"

urlpatterns = [
    path("pipeline/", board.board, name="board"),
    path("pipeline/<int:pk>/", board.board, name="pipeline_board"),
    path("pipeline/<int:pk>/move/", board.move, name="board_move"),
    path("opportunities/", opportunities.opportunity_list, name="opportunities"),
    path("opportunities/new/", opportunities.opportunity_edit, name="opportunity_create"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", opportunities.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:pk>/win/", opportunities.opportunity_win, name="opportunity_win"),
    path("opportunities/<int:pk>/lose/", opportunities.opportunity_lose, name="opportunity_lose"),
    path("opportunities/<int:pk>/reopen/", opportunities.opportunity_reopen, name="opportunity_reopen"),
    path("forecast/", forecast.forecast_page, name="forecast"),
    path("forecast/targets/", forecast.targets_page, name="targets"),
    path("leads/", leads.lead_list, name="leads"),
    path("leads/new/", leads.lead_edit, name="lead_create"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead"),
    path("leads/<int:pk>/edit/", leads.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/status/", leads.lead_status, name="lead_status"),
    path("leads/<int:pk>/convert/", leads.lead_convert, name="lead_convert"),
    path("settings/web-forms/", web_forms.web_forms, name="web_forms"),
    path("settings/web-forms/new/", web_forms.web_form_edit, name="web_form_create"),
    path("settings/web-forms/<int:pk>/", web_forms.web_form_edit, name="web_form_edit"),
    path("settings/pipelines/", setup.pipelines, name="pipelines"),
    path("settings/pipelines/new/", setup.pipeline_save, name="pipeline_create"),
    path("settings/pipelines/<int:pk>/", setup.pipeline_save, name="pipeline_edit"),
    path("settings/pipelines/<int:pk>/archive/", setup.pipeline_archive, name="pipeline_archive"),
    path("settings/pipelines/<int:pipeline_pk>/stages/new/", setup.stage_save, name="stage_create"),
    path("settings/pipelines/<int:pipeline_pk>/stages/<int:pk>/", setup.stage_save, name="stage_edit"),
    path(
        "settings/pipelines/<int:pipeline_pk>/stages/<int:pk>/archive/",
        setup.stage_archive,
        name="stage_archive",
    ),
    path("settings/lost-reasons/new/", setup.lost_reason_save, name="lost_reason_create"),
    path("settings/lost-reasons/<int:pk>/", setup.lost_reason_save, name="lost_reason_edit"),
]
