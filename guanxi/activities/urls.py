from django.urls import path

from guanxi.activities.views import mine, records

app_name = "activities"
urlpatterns = [
    path("", mine.my_activities, name="mine"),
    path("new/", records.activity_create, name="create"),
    path("<int:pk>/", records.activity_detail, name="detail"),
    path("<int:pk>/edit/", records.activity_edit, name="edit"),
    path("<int:pk>/complete/", records.activity_complete, name="complete"),
    path("<int:pk>/cancel/", records.activity_cancel, name="cancel"),
    path("<int:pk>/reopen/", records.activity_reopen, name="reopen"),
    path("<int:pk>/calendar.ics", records.activity_ics, name="ics"),
]
