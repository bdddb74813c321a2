#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_client
short_description: Create, update and delete Genesys Cloud OAuth clients
version_added: 0.1.0
description:
  - Declares one OAuth client of a Genesys Cloud organisation, found by O(client_id) or by exact O(name).
  - An option left out is not managed; a list given is the whole wanted set, compared as a set
    (order and duplicates do not matter).
  - The API replaces the whole client on update; the module always sends the full client, so fields
    you do not mention keep their values. Fields of the client this collection does not know (a setting newer
    than the collection, such as an IP allowlist set in the Genesys Cloud UI) are sent back as the API returned
    them, by every write (an update, a rename, the deactivation before a delete); RV(client.extra) shows them.
  - Declaring a client of the implicit grant (V(token)) warns, once per client, that Genesys Cloud is retiring
    it (no new token-grant clients from March 2026, existing ones stop working in March 2027) and that its
    replacement is the authorization code grant with PKCE (V(code)). Deleting one does not warn.
  - The API shows a client secret only once, in the answer to the create. The run that creates the client
    delivers it to a file (O(dest)) and an integration credential (O(integration_credential)), the same way
    M(genesys.cloud.oauth_client_secret) does, and keeps it out of the result, so the task needs no C(no_log)
    and C(--check --diff) shows the plan.
  - With O(return_secret=true) the secret is also returned in RV(client.secret); use C(no_log) on such a task (see
    O(return_secret)). A create with neither a delivery nor O(return_secret=true) is refused before anything is written
    (in check mode too), since its secret would be kept nowhere.'
  - The deliveries are checked before the client is created (the file's folder and kind, O(mode), O(owner),
    O(group), the lock, the credential and whose it is).
    If one fails after the create, the others are still made, and the task fails saying the client B(was) created,
    with RV(client.id) in the result, and RV(client.secret) too when no delivery kept it (or O(return_secret=true)),
    for a C(rescue) block.
  - If the create gets no answer, a server error, or a C(2xx) answer without a readable id and secret, the client
    may have been created with a secret nobody will see. The module then looks for it by name; when exactly one
    such client is listed, it rotates its secret at once and delivers that one (RV(recovered)). Otherwise the task
    fails saying whether the client B(was) or may have been created, with its id (or the ids of the clients of that
    name), and the M(genesys.cloud.oauth_client_secret) task that issues and delivers a new secret.
  - With O(dest), the run holds a lock beside O(dest) from before the lookup, so two runs that would create the
    same client for one O(dest) at once create it once; the second waits and finds it.
  - The delivery options act only when this run creates the client; an existing client's secret cannot be read
    back, so to deliver it again rotate it with M(genesys.cloud.oauth_client_secret) (C(rotate=when_needed)
    rotates only when the delivered copy is missing or broken).
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
    description: Sends no write and reports the change a real run would make.
  diff_mode:
    support: full
    description: Shows the managed fields before and after; never a secret.
options:
  state:
    description:
      - V(present) creates the client or brings it to the given options.
      - V(absent) deletes it; an active client is made inactive first, since the API refuses to delete it otherwise.
    type: str
    choices: [present, absent]
    default: present
  client_id:
    description:
      - Id of the client. With O(name) too, the client is renamed to O(name).
      - One of O(client_id) and O(name) is required.
      - Without it, the client is looked up by exact O(name); several clients of that name make the module fail
        with their ids.
    type: str
  name:
    description:
      - Name of the client. Required to create one.
    type: str
  description:
    description:
      - Description of the client.
    type: str
  grant_type:
    description:
      - The OAuth grant the client uses. Required to create a client.
      - V(client_credentials) clients get their permissions from O(roles); the other grants from O(scopes).
    type: str
    choices: [client_credentials, code, token, saml2_bearer, password]
  access_token_validity_seconds:
    description:
      - How long the client's access tokens are valid, from 300 to 172800 seconds.
      - The API's default is 86400 seconds.
    type: int
  allow_scim_validity:
    description:
      - Allow O(access_token_validity_seconds) up to 38880000, which the API accepts for SCIM clients only.
    type: bool
    default: false
  redirect_uris:
    description:
      - The authorized redirect URIs (absolute, without a fragment). The whole set; V([]) removes them all.
    type: list
    elements: str
  scopes:
    description:
      - The scopes of a client whose grant is not V(client_credentials). The whole set.
    type: list
    elements: str
  roles:
    description:
      - Roles of a V(client_credentials) client, each in a division. The whole set of role/division pairs.
      - When the grant type changes away from V(client_credentials) and O(roles) is not given, the roles are removed.
      - Each role is given by O(roles[].role_id) or by its exact name in O(roles[].role), and its division by
        O(roles[].division_id) or by name in O(roles[].division). Names are resolved before anything is written,
        each distinct name with one filtered listing; an unknown or ambiguous name fails naming the candidates.
    type: list
    elements: dict
    suboptions:
      role_id:
        description: Id of the role. One of O(roles[].role_id) and O(roles[].role) is required.
        type: str
      role:
        description: Exact name of the role, instead of O(roles[].role_id).
        type: str
      division_id:
        description:
          - Id of the division the role applies in; V(*) for all divisions.
          - When neither this nor O(roles[].division) is given, the organisation's home division.
        type: str
      division:
        description: Exact name of the division, or V(*) for all divisions, instead of O(roles[].division_id).
        type: str
  active:
    description:
      - V(true) makes the client C(active), V(false) makes it C(inactive); left out, the state is not managed.
      - A client created without it is active.
      - A client C(disabled) by Genesys support stays disabled with V(false).
    type: bool
notes:
  - Clients are matched by exact name. Names are not unique in Genesys Cloud; use O(client_id) to be exact.
  - A deleted client may still be visible in the API for a while with state C(deleted); it is treated as absent.
'''

EXAMPLES = r'''
- name: Declare a client-credentials client for an integration
  genesys.cloud.oauth_client:
    name: billing-sync
    description: Billing system pulls conversation data
    grant_type: client_credentials
    access_token_validity_seconds: 3600
    roles:
      - role_id: 3e1bbbd2-5b4f-4a5b-9c3e-59a2c43de6d8          # home division
      - role_id: 9a7f5c1e-8d2b-4c1a-bf0e-2b5f3c8d1e44
        division_id: '*'                                      # all divisions
    dest: /etc/billing/genesys-secret      # the secret, shown only at the create; it stays out of the result

- name: Declare a client and deliver its secret, shown only at the create, to a file and a data action credential
  genesys.cloud.oauth_client:
    name: crm-sync
    grant_type: client_credentials
    roles:
      - role_id: 3e1bbbd2-5b4f-4a5b-9c3e-59a2c43de6d8
    dest: /etc/crm/genesys.json
    dest_format: json
    integration_credential: crm-data-actions
    create_credential: true
  register: crm_client

- name: Declare a code-grant client for a web app, connection options once for the group
  module_defaults:
    group/genesys.cloud.genesys:
      region: eu-west-1
      auth_client_id: "{{ vault_genesys_client_id }}"
      auth_client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Web app client
      genesys.cloud.oauth_client:
        name: wallboard
        grant_type: code
        redirect_uris:
          - https://wallboard.example.com/callback
        scopes:
          - analytics:readonly
          - users:readonly
        return_secret: true   # the web app's deployment below takes the secret from the result (hidden in output)
      register: wallboard_client

- name: Rename a client, found by id
  genesys.cloud.oauth_client:
    client_id: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
    name: billing-sync-v2

- name: Deactivate a client without deleting it
  genesys.cloud.oauth_client:
    name: billing-sync-v2
    active: false

- name: Delete a client (made inactive first when it is active)
  genesys.cloud.oauth_client:
    name: wallboard
    state: absent
'''

RETURN = r'''
client:
  description:
    - The client after the run; in check mode, the client the run would leave.
    - With O(state=absent), the client that was deleted, or empty when there was none.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the client (not known in check mode for a new client).
      type: str
      sample: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
    name:
      description: Name of the client.
      type: str
      sample: billing-sync
    description:
      description: Description of the client.
      type: str
    grant_type:
      description: Grant type, as in O(grant_type).
      type: str
      sample: client_credentials
    access_token_validity_seconds:
      description: Access token validity in seconds.
      type: int
      sample: 86400
    redirect_uris:
      description: Authorized redirect URIs, sorted.
      type: list
      elements: str
    scopes:
      description: Scopes, sorted.
      type: list
      elements: str
    roles:
      description: Role/division pairs, sorted.
      type: list
      elements: dict
      contains:
        role_id:
          description: Id of the role.
          type: str
        division_id:
          description: Id of the division, or C(*) for all.
          type: str
        role_name:
          description: Name of the role, when the task named it.
          type: str
        division_name:
          description: Name of the division, when the task named it.
          type: str
    active:
      description: Whether the client's state is C(active).
      type: bool
    state:
      description: The API state of the client, C(active), C(inactive) or C(disabled).
      type: str
      sample: active
    date_created:
      description: When the client was created (ISO-8601).
      type: str
    date_modified:
      description: When the client was last changed (ISO-8601).
      type: str
    date_to_delete:
      description: When the API will delete the client, if set.
      type: str
    created_by:
      description: Who created the client (C(id), C(name)).
      type: dict
    modified_by:
      description: Who last changed the client (C(id), C(name)).
      type: dict
    self_uri:
      description: API path of the client.
      type: str
    deprecated_grant:
      description: Whether the client uses a grant type Genesys Cloud is retiring (V(token), the implicit grant; see
        M(genesys.cloud.oauth_client_info)).
      type: bool
      version_added: 0.2.0
    extra:
      description:
        - The fields of the client that the API returned and this collection does not know, under their API names
          (camelCase) with their values as the API sent them (see M(genesys.cloud.oauth_client_info)). The module sent
          them back unchanged with any update.
      type: dict
      version_added: 0.2.0
    secret:
      description:
        - The client secret, shown by the API only to the run that creates the client, with
          O(return_secret=true); use C(no_log) on that task.
        - Also returned, whatever O(return_secret) says, when no delivery kept it (each one failed), so it is
          never lost.
      type: str
      returned: when this run created the client and O(return_secret=true), or no delivery kept the secret
recovered:
  description: Whether the answer to the create was lost, so the client was found by name and its secret rotated at
    once; the deliveries (and RV(client.secret) with O(return_secret=true)) hold that new secret.
  returned: when this run created the client (not in check mode)
  type: bool
  version_added: 0.2.0
deliveries:
  description: For V(dest) and V(integration_credential), one of C(done), C(failed), C(not requested), or in check
    mode C(would do).
  returned: when this run created the client and a delivery was asked for
  type: dict
  sample: {dest: done, integration_credential: done, verify: not requested}
dest:
  description: The file the new client's secret was written to.
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

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.ensure import ensure_client
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import CLIENT_ARGUMENT_SPEC, CLIENT_RULES
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule
from ansible_collections.genesys.cloud.plugins.module_utils._secrets.delivery import DELIVERY_ARGUMENT_SPEC


def argument_spec():
    return dict(CLIENT_ARGUMENT_SPEC, **DELIVERY_ARGUMENT_SPEC)


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True, add_file_common_args=True,
                           **CLIENT_RULES)
    module.run(lambda: ensure_client(module=module))


if __name__ == '__main__':
    main()
