import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
_django = get_asgi_application()

from secretariat.core.asgi_static import wrap  # noqa: E402 - after Django's setup

application = wrap(_django)
