from django.urls import path

from meetlat.kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("staffing/", views.staffing, name="staffing"),
    path("channel-mix/", views.channel_mix, name="channel_mix"),
    path("channel-mix/export/", views.channel_mix_export, name="channel_mix_export"),
    path("channel-mix/costs/", views.channel_costs, name="channel_costs"),
]
