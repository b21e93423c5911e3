from django.urls import path

from meetlat.contacts import views

app_name = "contacts"

urlpatterns = [
    path("import/", views.import_list, name="import_list"),
    path("import/<str:sha256>/", views.import_preview, name="import_preview"),
]
