from django.urls import path

from meetlat.contacts import survey_views

app_name = "survey"

urlpatterns = [
    path("thanks/", survey_views.survey_thanks, name="thanks"),
    path("<slug:token>/", survey_views.survey_answer, name="answer"),
]
