from django.urls import path

from meetlat.kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("staffing/", views.staffing, name="staffing"),
]
