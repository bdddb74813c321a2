"""A local Genesys Cloud API emulator for the genesys.cloud collection's demo and tests.

    python -m genesys_emulator --port 8080

It serves the OAuth client API on 127.0.0.1 with the seeded admin client below.
"""

from .seed import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from .server import DEFAULT_CONFIG, Emulator

__all__ = ['Emulator', 'DEFAULT_CONFIG', 'ADMIN_CLIENT_ID', 'ADMIN_CLIENT_SECRET']
