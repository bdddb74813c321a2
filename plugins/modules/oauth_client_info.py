#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_client_info
short_description: Read Genesys Cloud OAuth clients
version_added: 0.1.0
description:
  - Returns one, some or all OAuth clients of a Genesys Cloud organisation. Changes nothing.
  - Without O(client_id) the whole client listing is read once (every page) and filtered.
  - With O(client_id) one client is read with a single request.
  - Client secrets are never returned.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.attributes.info_module
options:
  client_id:
    description:
      - Id of the one client to return.
    type: str
  name:
    description:
      - Return the clients with exactly this name (names are not unique, so this may be several).
    type: str
  grant_type:
    description:
      - Return only clients with this grant type.
    type: str
    choices: [client_credentials, code, token, saml2_bearer, password]
  state:
    description:
      - Return only clients in this state.
    type: str
    choices: [active, inactive, disabled]
  fail_on_missing:
    description:
      - Fail when O(client_id) names no client, instead of returning an empty list.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Every client of the organisation
  genesys.cloud.oauth_client_info:
  register: all_clients

- name: Active client-credentials clients
  genesys.cloud.oauth_client_info:
    grant_type: client_credentials
    state: active
  register: machine_clients

- name: One client by id, failing when it is gone
  genesys.cloud.oauth_client_info:
    client_id: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
    fail_on_missing: true
  register: one

- name: Clients named billing-sync
  genesys.cloud.oauth_client_info:
    name: billing-sync
  register: billing
'''

RETURN = r'''
clients:
  description:
    - The clients found, in the shape M(genesys.cloud.oauth_client) returns (without a secret).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the client.
      type: str
    name:
      description: Name of the client.
      type: str
    description:
      description: Description of the client.
      type: str
    grant_type:
      description: Grant type (V(client_credentials), V(code), V(token), V(saml2_bearer), V(password)).
      type: str
    access_token_validity_seconds:
      description: Access token validity in seconds.
      type: int
    redirect_uris:
      description: Redirect URIs, sorted.
      type: list
      elements: str
    scopes:
      description: Scopes, sorted.
      type: list
      elements: str
    roles:
      description: Role/division pairs (C(role_id), C(division_id)), sorted.
      type: list
      elements: dict
    active:
      description: Whether the state is C(active).
      type: bool
    state:
      description: API state, C(active), C(inactive) or C(disabled).
      type: str
    date_created:
      description: Creation time (ISO-8601).
      type: str
    date_modified:
      description: Last change (ISO-8601).
      type: str
    date_to_delete:
      description: When the API will delete the client, if set.
      type: str
    created_by:
      description: Creator (C(id), C(name)).
      type: dict
    modified_by:
      description: Last modifier (C(id), C(name)).
      type: dict
    self_uri:
      description: API path of the client.
      type: str
    deprecated_grant:
      description:
        - Whether the client uses a grant type Genesys Cloud is retiring. V(true) for the implicit grant (V(token)),
          which no new client may use from March 2026 and which stops working in March 2027; move such a client to
          the authorization code grant with PKCE (V(code)).
      type: bool
      sample: false
      version_added: 0.2.0
    extra:
      description:
        - The fields of the client that the API returned and this collection does not know, such as a setting newer
          than the collection (an IP allowlist set in the Genesys Cloud UI, say), under their API names (camelCase)
          and with their values as the API sent them. Empty when there are none.
        - M(genesys.cloud.oauth_client) and M(genesys.cloud.oauth_clients) send them back unchanged whenever they
          write the client, so an update never deletes them.
      type: dict
      sample: {allowedIpAddresses: [203.0.113.0/24]}
      version_added: 0.2.0
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

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_reads import clients_info
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import CLIENT_STATES, GRANT_TYPES
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule


def argument_spec():
    return dict(
        client_id=dict(type='str'),
        name=dict(type='str'),
        grant_type=dict(type='str', choices=list(GRANT_TYPES)),
        state=dict(type='str', choices=list(CLIENT_STATES)),
        fail_on_missing=dict(type='bool', default=False),
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.run(lambda: clients_info(api=module.api, params=module.params))


if __name__ == '__main__':
    main()
