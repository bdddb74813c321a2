# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection version, sent in the User-Agent. A unit test keeps it equal to galaxy.yml."""

from __future__ import annotations

COLLECTION_NAME = 'genesys.cloud'
COLLECTION_VERSION = '0.2.0'
