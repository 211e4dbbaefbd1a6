from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Sends the e-mail, the names and, for people who have one, the delegation claim."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "secretariat_delegation": "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        claims = {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
        delegation = settings.PEOPLE[user.username].get("delegation")
        if delegation:
            claims["secretariat_delegation"] = delegation
        return claims
