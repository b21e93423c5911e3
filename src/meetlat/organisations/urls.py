from django.urls import path

from meetlat.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_mine, name="mine"),
    path("all/", views.organisation_list, name="list"),
    path("all/new/", views.organisation_create, name="create"),
    path("contact-points/new/", views.contact_point_create, name="contact_point_create"),
    path("contact-points/<int:pk>/", views.contact_point_edit, name="contact_point_edit"),
    path(
        "contact-points/<int:pk>/opening-hours/",
        views.opening_hours_edit,
        name="opening_hours_edit",
    ),
    path("norms/<slug:key>/", views.norm_edit, name="norm_edit"),
    path("working-days/", views.calendar_page, name="calendar"),
    path("municipalities/", views.reference_list, name="reference_list"),
]
