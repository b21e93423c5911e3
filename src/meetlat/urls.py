from django.urls import include, path
from django.views.i18n import set_language

from meetlat.accounts.access import public
from meetlat.api.api import api

urlpatterns = [
    path("", include("meetlat.web.urls")),
    path("accounts/", include("meetlat.accounts.urls")),
    path("organisation/", include("meetlat.organisations.urls")),
    path("research/", include("meetlat.research.urls")),
    path("kpis/", include("meetlat.kpis.urls")),
    path("s/", include("meetlat.contacts.survey_urls")),
    path("contacts/", include("meetlat.contacts.urls")),
    path("jobs/", include("meetlat.jobs.urls")),
    path("language/", public(set_language), name="set_language"),
    path("api/", api.urls),
]

handler400 = "meetlat.web.views.error_400"
handler403 = "meetlat.web.views.error_403"
handler404 = "meetlat.web.views.error_404"
handler500 = "meetlat.web.views.error_500"
