"""``python -m secretariat.negotiation.text`` (same as ``secretariat text``)."""

import sys

from .cli import main

sys.exit(main())
