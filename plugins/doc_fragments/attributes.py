# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by modules; genesys.cloud.attributes.info_module for the read-only ones."""

    DOCUMENTATION = r'''
options: {}
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: Runs in check mode too; the module never changes anything.
  diff_mode:
    support: N/A
    description: The module never changes anything, so there is nothing to diff.
'''
