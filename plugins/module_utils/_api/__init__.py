# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Talking to Genesys Cloud for any resource: errors, regions, connection options, the HTTP client, the module base, generic reads."""
