# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action of the modules that issue a client secret: a result that holds one is never shown.

A module cannot mark its own result no_log (Ansible drops the internal keys a module returns), but its action
can. When a result holds a newly issued secret (return_secret=true, or a secret no delivery kept, which is
handed back so it is never lost), the result is hidden as under no_log: in the output, at any verbosity, and in
AWX job events. Registered variables and ansible_failed_result still hold it, for the tasks after and rescue.
"""

from __future__ import annotations

from ansible.plugins.action.normal import ActionModule as NormalAction


def holds_issued_secret(result):
    """Whether a secret sits where these modules put one: secret, client.secret, or in an entry of clients."""
    if not isinstance(result, dict):
        return False
    places = [result, result.get('client')] + list(result.get('clients') or [])
    return any(isinstance(place, dict) and place.get('secret') for place in places)


class HideIssuedSecrets(NormalAction):
    """Run the module as the normal action does; hide the result when it holds a new secret."""

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if holds_issued_secret(result):
            result['_ansible_no_log'] = True
        return result
