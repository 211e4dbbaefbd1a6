from django.urls import path, register_converter

from secretariat.accounts import views, views_keys, views_profile, views_security


class KeyPurpose:
    """What a security key's answer is for: the sign-in step, or confirming a change."""

    regex = "login|confirm"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KeyPurpose, "keypurpose")

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("forum/", views.forum_page, name="forum"),
    path("delegations/", views.directory_page, name="directory"),
    path("profile/", views_profile.profile, name="account-profile"),
    path(
        "profile/email/<str:token>/",
        views_profile.confirm_email_change,
        name="account-email-confirm",
    ),
    path(
        "profile/password/",
        views_profile.PasswordChangeView.as_view(),
        name="account-password-change",
    ),
    path("2fa/verify/", views_security.verify, name="twofactor-verify"),
    path("2fa/enrol/", views_security.enrol, name="twofactor-enrol"),
    path("2fa/recovery-codes/", views_security.recovery_codes, name="twofactor-recovery-codes"),
    path("2fa/confirm/", views_keys.confirm, name="twofactor-confirm"),
    path("2fa/keys/add/", views_keys.key_add, name="securitykey-add"),
    path("2fa/keys/added/", views_keys.key_added, name="securitykey-added"),
    path("2fa/keys/register/begin/", views_keys.register_begin, name="securitykey-register-begin"),
    path(
        "2fa/keys/register/complete/",
        views_keys.register_complete,
        name="securitykey-register-complete",
    ),
    path(
        "2fa/keys/<keypurpose:purpose>/begin/", views_keys.auth_begin, name="securitykey-auth-begin"
    ),
    path(
        "2fa/keys/<keypurpose:purpose>/complete/",
        views_keys.auth_complete,
        name="securitykey-auth-complete",
    ),
    path("2fa/keys/<int:pk>/remove/", views_keys.key_remove, name="securitykey-remove"),
    path("security/", views_security.security, name="account-security"),
    path("sessions/end/", views_security.end_session, name="session-end"),
    path("sessions/end-others/", views_security.end_other_sessions, name="sessions-end-others"),
    path("users/", views_security.accounts_list, name="account-users"),
    path("users/<int:pk>/", views_security.account_security, name="account-user-security"),
    path("users/<int:pk>/reset-2fa/", views_security.reset_two_factor, name="twofactor-reset"),
    path("users/<int:pk>/end-sessions/", views_security.end_all_sessions, name="sessions-end-all"),
]
