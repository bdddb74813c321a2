#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_client_secrets
short_description: Rotate the secrets of many Genesys Cloud OAuth clients in one task and deliver the new ones
version_added: 0.1.0
description:
  - Rotates the secret of every client in O(clients) in one module run, with one login and one walk of the client
    listing. A loop of M(genesys.cloud.oauth_client_secret) tasks pays a module start, a login and a listing walk
    per item.
  - Each client is checked, decided (its C(rotate) policy), rotated and delivered by the same code as
    M(genesys.cloud.oauth_client_secret), so both behave alike; see that module for the deliveries, the
    C(when_needed) policy and the recovery of a rotation whose answer was lost.
  - Every client is attempted, whatever fails before it; the results of all are returned in RV(clients), and the
    task fails naming the failed ones. A new secret is in its client's entry when the entry sets
    C(return_secret=true), or when no delivery kept it (a client whose every delivery failed after its rotation).
  - The client the module logs in with is rotated last, and only when its entry sets C(allow_self_rotation).
  - A secret is never put in a message, warning or diff, and a failed result that holds one is hidden as under
    C(no_log). Use C(no_log) on a task whose entries set C(return_secret=true).
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
attributes:
  check_mode:
    support: full
    description: Runs every check and decides each client as a real run would (RV(clients[].reason)), sends no
      write and returns no secret.
  diff_mode:
    support: none
    description: A secret is never shown in a diff.
options:
  clients:
    description:
      - The clients, each a dict with the options of M(genesys.cloud.oauth_client_secret) (not the connection
        options), so C(client_id) or C(name), C(rotate), C(max_age_days), C(allow_self_rotation), C(verify), and the
        deliveries C(dest), C(dest_format), C(backup), C(integration_credential), C(create_credential),
        C(take_over_credential), C(return_secret), with C(mode), C(owner) and C(group) for C(dest), checked before
        the client's secret is rotated.
      - Every entry is checked before any request, with the rules of M(genesys.cloud.oauth_client_secret) (one of
        C(client_id) and C(name) is required; C(rotate=when_needed) needs C(dest) or C(integration_credential)); an
        unknown key, a missing option or a bad value fails the task naming the entry.
      - Two entries may not name the same client, nor the same C(dest) or C(integration_credential). Every entry is
        resolved to a client id before the first rotation, so two entries that name one client differently (one by
        C(name), one by C(client_id)) are refused too, naming both, and nothing is rotated, since the second
        rotation would kill the secret the first delivered.
    type: list
    elements: dict
    required: true
  defaults:
    description:
      - Settings every entry gets unless it sets its own, for example C(rotate), C(max_age_days) or C(verify).
    type: dict
    default: {}
notes:
  - The client the module logs in with is O(auth_client_id); with O(auth_token) the module asks the API whose token
    it is (C(GET /api/v2/tokens/me), once a run). When the API refuses to tell, the module warns once, and no client
    is moved to the end or refused without C(allow_self_rotation).
  - 'The files in C(dest) are written on the host that runs the module, usually the controller with C(connection: local).'
seealso:
  - module: genesys.cloud.oauth_client_secret
  - ref: genesys.cloud.rotate_client_secrets role <ansible_collections.genesys.cloud.rotate_client_secrets_role>
    description: Rotates with this module and keeps any secret that reached no delivery in a fallback folder.
'''

EXAMPLES = r'''
- name: Nightly; rotate each client whose delivered copy is missing, broken or older than 90 days
  genesys.cloud.oauth_client_secrets:
    defaults:
      rotate: when_needed
      max_age_days: 90
      dest_format: json
    clients:
      - name: billing-sync
        dest: /etc/billing/genesys.json
        group: billing
        mode: '0640'
      - name: crm-bridge
        integration_credential: crm-data-actions
      - client_id: 3e1bbbd2-5b4f-4a5b-9c3e-59a2c43de6d8
        dest: /etc/reports/genesys.json
  register: rotation   # no secret in it: each new secret is in its dest or credential

- name: Which clients were rotated
  ansible.builtin.debug:
    msg: "{{ rotation.clients | selectattr('action', 'equalto', 'rotated') | map(attribute='name') }}"
'''

RETURN = r'''
clients:
  description:
    - One entry per client, in the order they were handled (the client the module logs in with last).
    - Named C(clients), not C(results), because Ansible takes a C(results) key for the results of a loop and shows
      it even with C(no_log), which would print new secrets.
  returned: always, when the entries were valid
  type: list
  elements: dict
  contains:
    name:
      description: Name of the client (the name given, when no client was found).
      type: str
    id:
      description: Id of the client.
      type: str
    action:
      description: V(rotated) (in check mode, would be), V(unchanged) or V(failed).
      type: str
    changed:
      description: Whether the secret was rotated (a failed client may have been).
      type: bool
    reason:
      description: Why the secret was (or would be) rotated, or why it was not.
      type: str
    deliveries:
      description: For V(dest), V(integration_credential) and V(verify), as in M(genesys.cloud.oauth_client_secret).
      type: dict
    secret:
      description: The new secret, when the entry sets C(return_secret=true) or no delivery kept it. Not in check
        mode.
      type: str
    rotated_at:
      description: When the secret was rotated (ISO-8601).
      type: str
    recovered:
      description: Whether a rotation whose answer was lost was proven and rotated again.
      type: bool
    dest:
      description: The file the secret was written to.
      type: str
    backup_file:
      description: The backup of the previous C(dest).
      type: str
    credential_id:
      description: Id of the integration credential updated or created.
      type: str
    msg:
      description: Why the client failed.
      type: str
    api_error:
      description: The API error of a failed client.
      type: dict
api_retries:
  description:
    - The retries of the task's requests, after HTTP 429 Too Many Requests (rate limited) or a failure that may pass
      (HTTP 502, 503, 504, a dropped connection, a timeout); see O(max_retries) and O(max_retry_wait).
    - Counts that grow from run to run tell that the organisation's rate budget is getting tight, before a run fails.
  returned: always
  type: dict
  contains:
    requests:
      description: How many requests were sent again, once or more.
      type: int
      sample: 2
    retries:
      description: How many times requests were sent again, in all.
      type: int
      sample: 3
    rate_limited:
      description: How many answers were HTTP 429 Too Many Requests, a last one that ended the task included.
      type: int
      sample: 3
    seconds_waited:
      description: Seconds waited before the retries, in all.
      type: float
      sample: 3.0
'''

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.many_clients import ENTRIES_ARGUMENT_SPEC
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.rotation_many import rotate_secrets


def argument_spec():
    return dict(ENTRIES_ARGUMENT_SPEC)


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.run(lambda: rotate_secrets(module=module))


if __name__ == '__main__':
    main()
