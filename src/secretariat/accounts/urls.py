from django.urls import path

from secretariat.accounts import views, views_security

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("forum/", views.forum_page, name="forum"),
    path("2fa/verify/", views_security.verify, name="twofactor-verify"),
    path("2fa/enrol/", views_security.enrol, name="twofactor-enrol"),
    path("2fa/recovery-codes/", views_security.recovery_codes, name="twofactor-recovery-codes"),
    path("security/", views_security.security, name="account-security"),
    path("sessions/end/", views_security.end_session, name="session-end"),
    path("sessions/end-others/", views_security.end_other_sessions, name="sessions-end-others"),
    path("users/", views_security.accounts_list, name="account-users"),
    path("users/<int:pk>/", views_security.account_security, name="account-user-security"),
    path("users/<int:pk>/reset-2fa/", views_security.reset_two_factor, name="twofactor-reset"),
    path("users/<int:pk>/end-sessions/", views_security.end_all_sessions, name="sessions-end-all"),
]
