from django.urls import path

from meetlat.contacts import survey_invitation_views, views

app_name = "contacts"

urlpatterns = [
    path("import/", views.import_list, name="import_list"),
    path("import/<str:sha256>/", views.import_preview, name="import_preview"),
    path(
        "kto/invitations/",
        survey_invitation_views.survey_invitations,
        name="survey_invitations",
    ),
]
