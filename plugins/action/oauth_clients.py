# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""genesys.cloud.oauth_clients runs through this action, which hides a failed result that holds a new secret."""

from __future__ import annotations

from ansible_collections.genesys.cloud.plugins.plugin_utils.issued_secrets import HideIssuedSecrets


class ActionModule(HideIssuedSecrets):
    pass
