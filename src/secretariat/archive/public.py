"""What the public portal may show: public documents that were adopted or published."""

from __future__ import annotations

from django.db.models import QuerySet

from secretariat.accounts import access
from secretariat.documents.models import PUBLIC_STATUSES, Document


def public_documents() -> QuerySet[Document]:
    # The access policy for an anonymous visitor, then the statuses a forum publishes.
    return access.visible(None, Document.objects.all()).filter(
        status__in=PUBLIC_STATUSES, current_version__isnull=False
    )
