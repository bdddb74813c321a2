# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The language option of modules that return descriptions (genesys.cloud.language)."""

    DOCUMENTATION = r'''
options:
  language:
    description:
      - Language of the descriptions, sent as the C(Accept-Language) header, for example V(en-us) or V(de-de).
    type: str
    default: en-us
'''
