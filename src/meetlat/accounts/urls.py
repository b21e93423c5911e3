from django.urls import path

from meetlat.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.otp_setup, name="otp_setup"),
    path("two-factor/verify/", views.otp_verify, name="otp_verify"),
    path("organisation/", views.switch_organisation, name="switch"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("audit/", views.audit_list, name="audit_list"),
]
