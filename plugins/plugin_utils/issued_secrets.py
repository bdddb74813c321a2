# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action of the modules that issue a client secret: a failed result that holds one is never shown.

A secret is in a failed result when no delivery kept it (it is handed back so it is never lost), or with
return_secret=true. Ansible prints a failed result whatever the verbosity, so a task written without no_log (as the
docs write those that deliver the secret) would put it in the output and in AWX job events. A module cannot mark
its own result no_log (Ansible drops the internal keys a module returns), but its action can: such a result is
hidden as under no_log, and ansible_failed_result and the registered variable still hold it, for a rescue block.
A successful result holds a secret only when the task asked for it (return_secret=true), which documents no_log.
"""

from __future__ import annotations

from ansible.module_utils.compat.version import LooseVersion
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.release import __version__ as ANSIBLE_CORE_VERSION
from ansible.utils.display import Display

display = Display()

# ansible-core before 2.19 drops the warnings of a result it hides (no_log), with the rest of it: a task that must
# hide its result (a role's, whose result holds new secrets) would lose them, the implicit-grant warning among them.
# The action shows them itself there. A module warning never holds a secret: Ansible shows it for every task without
# no_log.
HIDING_DROPS_WARNINGS = LooseVersion(ANSIBLE_CORE_VERSION) < LooseVersion('2.19')


def holds_issued_secret(result):
    """Whether a secret sits where these modules put one: secret, client.secret, or in an entry of clients."""
    if not isinstance(result, dict):
        return False
    places = [result, result.get('client')] + list(result.get('clients') or [])
    return any(isinstance(place, dict) and place.get('secret') for place in places)


class HideIssuedSecrets(NormalAction):
    """Run the module as the normal action does; hide the result when it failed holding a new secret."""

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if result.get('failed') and holds_issued_secret(result):
            result['_ansible_no_log'] = True
        if HIDING_DROPS_WARNINGS and (self._task.no_log is True or result.get('_ansible_no_log')):
            for warning in result.get('warnings') or []:
                display.warning(warning)
        return result
