#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_client_secret
short_description: Rotate the secret of a Genesys Cloud OAuth client and deliver the new one
version_added: 0.1.0
description:
  - Regenerates the secret of one OAuth client (C(POST /api/v2/oauth/clients/{id}/secret)). The old secret
    stops working at once, so the module delivers the new one right away, in this order and each only when asked,
    to a file (O(dest)), to a Genesys integration credential (O(integration_credential)), and by a test login
    (O(verify)).
  - Everything that can be checked is checked before the rotation (the client, the credential, the file's
    directory), so a bad option never costs a secret.
  - If a delivery fails after the rotation, the other deliveries are still tried, and the module fails with a
    message that says the secret B(was) rotated and what was and was not delivered, and still returns
    RV(client_id) and RV(secret), so a C(rescue) block can finish the job.
  - 'Every run rotates, so the module always reports a change. Use C(no_log: true) on the task; the secret is
    never put in a message, warning or diff.'
author:
  - genesys.cloud maintainers (@genesys-cloud-ansible)
extends_documentation_fragment:
  - genesys.cloud.connection
attributes:
  check_mode:
    support: full
    description: Runs every check, sends no write, and reports C(changed=true) without a secret.
  diff_mode:
    support: none
    description: A secret is never shown in a diff.
options:
  client_id:
    description:
      - Id of the client whose secret to rotate.
    type: str
  name:
    description:
      - Exact name of the client, when O(client_id) is not given. Several clients of that name make the module fail
        with their ids.
    type: str
  allow_self_rotation:
    description:
      - Allow rotating the secret of the client the module logs in with (O(auth_client_id)).
        The rest of the run then logs in with the new secret.
    type: bool
    default: false
  dest:
    description:
      - Write the new secret to this file on the host the module runs on, atomically (a temporary file in the same
        directory, then a rename), with mode C(0600).
    type: path
  dest_format:
    description:
      - V(secret) writes the secret alone; V(json) and V(yaml) write C(client_id), C(client_secret) and C(rotated_at).
    type: str
    choices: [secret, json, yaml]
    default: secret
  backup:
    description:
      - Keep a timestamped copy of an existing O(dest) before replacing it, as M(ansible.builtin.copy) does.
    type: bool
    default: false
  integration_credential:
    description:
      - Id or exact name of a Genesys integration credential of type C(pureCloudOAuthClient) to update with the
        client id and new secret, so data actions that use it keep working.
    type: str
  create_credential:
    description:
      - Create the integration credential named O(integration_credential) when it does not exist.
    type: bool
    default: false
  verify:
    description:
      - Log in with the client id and new secret (client credentials clients only) and fail when no token comes back.
    type: bool
    default: false
notes:
  - Self-rotation is recognised from O(auth_client_id); with O(auth_token) the module cannot tell which client it is.
  - 'The file in O(dest) is written on the host that runs the module, usually the controller with C(connection: local).'
seealso:
  - module: genesys.cloud.oauth_client
'''

EXAMPLES = r'''
- name: Rotate the billing client's secret, keep it in a file and in the data action credential
  genesys.cloud.oauth_client_secret:
    name: billing-sync
    dest: /etc/billing/genesys.json
    dest_format: json
    backup: true
    integration_credential: billing-data-actions
    verify: true
  register: rotation
  no_log: true

- name: Finish the delivery if anything failed after the rotation
  block:
    - name: Rotate
      genesys.cloud.oauth_client_secret:
        name: billing-sync
        integration_credential: billing-data-actions
      register: rotation
      no_log: true
  rescue:
    - name: Keep the new secret in a vault file when the credential update failed
      ansible.builtin.copy:
        content: "{{ ansible_failed_result.secret }}"
        dest: /root/billing-sync.secret
        mode: '0600'
      when: ansible_failed_result.secret is defined
      no_log: true
'''

RETURN = r'''
client_id:
  description: Id of the client.
  returned: always, when the client was found
  type: str
secret:
  description:
    - The new secret. Also returned when a delivery failed after the rotation. Not in check mode.
  returned: when the secret was rotated
  type: str
rotated_at:
  description: When the secret was rotated (ISO-8601).
  returned: when the secret was rotated
  type: str
deliveries:
  description: For V(dest), V(integration_credential) and V(verify), one of C(done), C(failed), C(not requested),
    or in check mode C(would do).
  returned: always, when the client was found
  type: dict
  sample: {dest: done, integration_credential: failed, verify: not requested}
dest:
  description: The file the secret was written to.
  returned: when written
  type: str
backup_file:
  description: The backup of the previous O(dest).
  returned: when O(backup=true) and O(dest) existed
  type: str
credential_id:
  description: Id of the integration credential updated or created.
  returned: when the credential was updated or created
  type: str
api_error:
  description: The API error when a call failed (C(status), C(code), C(message), C(context_id), C(method), C(path)).
  returned: on API failure before the rotation
  type: dict
'''

from ansible_collections.genesys.cloud.plugins.module_utils._module import GenesysModule
from ansible_collections.genesys.cloud.plugins.module_utils._secret_delivery import DEST_FORMATS
from ansible_collections.genesys.cloud.plugins.module_utils._secret_rotation import rotate_secret


def argument_spec():
    return dict(
        client_id=dict(type='str'),
        name=dict(type='str'),
        allow_self_rotation=dict(type='bool', default=False),
        dest=dict(type='path'),
        dest_format=dict(type='str', choices=list(DEST_FORMATS), default='secret'),
        backup=dict(type='bool', default=False),
        integration_credential=dict(type='str', no_log=False),
        create_credential=dict(type='bool', default=False),
        verify=dict(type='bool', default=False),
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True, required_one_of=[('client_id', 'name')])
    module.run(lambda: rotate_secret(module.api, module.params, module.check_mode, module.backup_local))


if __name__ == '__main__':
    main()
