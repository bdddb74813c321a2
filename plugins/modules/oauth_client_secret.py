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
  - Regenerates the secret of one OAuth client (C(POST /api/v2/oauth/clients/{id}/secret)). The API returns a
    secret only then, and the old secret stops working at once, so the module delivers the new one right away,
    in this order and each only when asked, to a file (O(dest)), to a Genesys integration credential
    (O(integration_credential)), and by a test login (O(verify)).
  - Everything that can be checked is checked before the rotation (the client, the credential and whose it is,
    the file's folder and kind, O(mode), O(owner), O(group), the lock, whether a test login can work), so a bad
    option never costs a secret.
  - If a delivery fails after the rotation, the other deliveries are still tried, and the module fails with a
    message that says the secret B(was) rotated and what was and was not delivered. It returns RV(client_id), and
    RV(secret) when no delivery kept a copy (or with O(return_secret=true)), so a C(rescue) block can finish the job.
  - With O(rotate=when_needed) it rotates only when a delivered copy is missing, no longer logs in, or is older
    than O(max_age_days), and otherwise changes nothing and sends no write, so a daily schedule rotates exactly
    the clients that are due or broken. RV(reason) says why, in check mode too.
  - If the rotation request fails with a server error or no answer, or is answered C(2xx) with a body that holds
    no readable new secret (not JSON, say), the rotation may still have happened. The
    module then logs in with the previous secret from O(dest). If it still works nothing was rotated; if not,
    the answer was lost, so it rotates again (the old secret is dead either way) and delivers, saying so in
    RV(recovered). Without a known previous secret it says that the secret may have been rotated and how to recover.
  - The new secret is kept out of the result unless O(return_secret=true) (then use C(no_log) on the task) or no
    delivery kept it (a failed result that holds it is hidden as under C(no_log)); it is never put in a message,
    warning or diff. A rotation with neither a delivery nor O(return_secret=true) is refused before any request.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.secret_delivery
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Runs every check, decides as a real run would (RV(reason)), sends no write and returns no secret.
  diff_mode:
    support: none
    description: A secret is never shown in a diff.
options:
  client_id:
    description:
      - Id of the client whose secret to rotate.
      - One of O(client_id) and O(name) is required.
    type: str
  name:
    description:
      - Exact name of the client, when O(client_id) is not given. Several clients of that name make the module fail
        with their ids.
    type: str
  rotate:
    description:
      - V(always) rotates on every run.
      - V(when_needed) rotates only when the copy in O(dest) is missing, unreadable or no longer logs in
        (client credentials clients, where a login can prove it), when the O(integration_credential) is missing,
        holds another client, or was last written before the client was last changed, or when the last rotation
        is older than O(max_age_days) (from the file's C(rotated_at), its modification time for
        O(dest_format=secret), or the credential's modification time). It needs O(dest) or
        O(integration_credential).
      - The API hides a credential's secret, so whether it still holds the current one is judged from times the
        API keeps. A rotation changes the client's C(dateModified); a credential whose C(modifiedDate) (from the
        credential listing) is in an earlier second holds an older secret, because its update failed (an error
        after the rotation) or the secret was rotated elsewhere; such a credential is repaired by the next
        V(when_needed) run. The API does not tell a rotation from other changes of the client, so an update of
        the client (M(genesys.cloud.oauth_client)) after the credential was written also causes one rotation.
        Not seen - a rotation in the same second as the credential's previous write (times are compared to the
        second, as the API's precision is not documented), and a credential changed by hand to a wrong secret
        of the same client.
    type: str
    choices: [always, when_needed]
    default: always
  max_age_days:
    description:
      - With O(rotate=when_needed), rotate when the last rotation is older than this many days.
        Without it, age alone never causes a rotation.
    type: int
  allow_self_rotation:
    description:
      - Allow rotating the secret of the client the module logs in with (O(auth_client_id), or the client of
        O(auth_token)). The rest of the run then logs in with the new secret (a client-credentials client).
    type: bool
    default: false
  verify:
    description:
      - Log in with the client id and new secret and fail when no token comes back, for example because another
        rotation replaced the secret in the meantime.
      - Left out, on for an active client-credentials client and off for others. V(true) on a client that is not
        a client-credentials client, or not active, fails before anything is rotated.
    type: bool
notes:
  - Self-rotation is recognised from O(auth_client_id); with O(auth_token) the module asks the API whose token it
    is (C(GET /api/v2/tokens/me), once a run). When the API refuses to tell, the module warns once and cannot
    refuse a self-rotation.
  - 'The file in O(dest) is written on the host that runs the module, usually the controller with C(connection: local).'
  - A rotation killed while in flight (the secret rotated, nothing delivered) is repaired by the next
    O(rotate=when_needed) run, since the copy in O(dest) no longer logs in, or the O(integration_credential) was
    written before the rotation. So is a delivery to the credential that failed.
seealso:
  - module: genesys.cloud.oauth_client
'''

EXAMPLES = r'''
- name: Rotate the billing client's secret, keep it in a file and in the data action credential
  genesys.cloud.oauth_client_secret:
    name: billing-sync
    dest: /etc/billing/genesys.json
    dest_format: json
    group: billing
    mode: '0640'
    backup: true
    integration_credential: billing-data-actions
    verify: true
  register: rotation   # no secret in it: it is in the file and the credential

- name: Daily schedule; rotate only when the copy is missing, broken or older than 90 days
  genesys.cloud.oauth_client_secret:
    name: billing-sync
    dest: /etc/billing/genesys.json
    dest_format: json
    rotate: when_needed
    max_age_days: 90
  register: rotation

- name: Finish the delivery if anything failed after the rotation
  block:
    - name: Rotate
      genesys.cloud.oauth_client_secret:
        name: billing-sync
        integration_credential: billing-data-actions
      register: rotation   # if the credential update fails, it holds the new secret (hidden in the output)
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
    - The new secret, with O(return_secret=true). Not in check mode.
    - Also returned, whatever O(return_secret) says, when no delivery kept it (each one failed), so it is never lost.
  returned: when the secret was rotated, and O(return_secret=true) or no delivery kept it
  type: str
rotated_at:
  description: When the secret was rotated (ISO-8601).
  returned: when the secret was rotated
  type: str
deliveries:
  description: For V(dest), V(integration_credential) and V(verify), one of C(done), C(failed), C(not requested),
    C(not needed) (nothing to rotate), or in check mode C(would do).
  returned: always, when the client was found
  type: dict
  sample: {dest: done, integration_credential: failed, verify: not requested}
reason:
  description: Why the secret was (or in check mode would be) rotated, or why it was not.
  returned: always, when the client was found
  type: str
  sample: the secret in dest /etc/billing/genesys.json no longer logs in
recovered:
  description: Whether a rotation whose answer was lost was proven (the previous secret no longer logs in) and
    rotated again.
  returned: when the secret was rotated
  type: bool
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
  returned: on API failure
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

from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.rotation import ROTATION_ARGUMENT_SPEC, ROTATION_RULES, rotate_secret


def argument_spec():
    return dict(ROTATION_ARGUMENT_SPEC)


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True, add_file_common_args=True,
                           **ROTATION_RULES)
    module.run(lambda: rotate_secret(module=module))


if __name__ == '__main__':
    main()
