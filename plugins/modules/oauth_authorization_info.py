#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_authorization_info
short_description: Read the OAuth clients authorized by the calling resource owner
version_added: 0.1.0
description:
  - Returns the OAuth clients that the resource owner behind the credentials has authorized,
    requested or revoked, or the authorization of one client. Changes nothing.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.attributes.info_module
  - genesys.cloud.language
options:
  client_id:
    description:
      - Id of the client whose authorization to return.
    type: str
  fail_on_missing:
    description:
      - Fail when there is no authorization for O(client_id), instead of returning an empty list.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Every client this user has authorized
  genesys.cloud.oauth_authorization_info:
    auth_token: "{{ user_token }}"
  register: authorizations

- name: Revoked authorizations
  ansible.builtin.debug:
    msg: "{{ authorizations.authorizations | selectattr('state', 'equalto', 'Revoked') | map(attribute='client.name') }}"
'''

RETURN = r'''
authorizations:
  description: The authorizations found.
  returned: always
  type: list
  elements: dict
  contains:
    client:
      description: The authorized client (C(id), C(name), C(description), C(grant_type), C(state)).
      type: dict
    scopes:
      description: Scopes authorized, sorted.
      type: list
      elements: str
    roles:
      description: Roles authorized, sorted.
      type: list
      elements: str
    state:
      description: C(Unauthorized), C(Requested), C(Authorized) or C(Revoked).
      type: str
    pending:
      description: Whether the authorization waits for the resource owner.
      type: bool
    resource_owner:
      description: The resource owner (C(id), C(name)).
      type: dict
    date_created:
      description: When the authorization was made (ISO-8601).
      type: str
    date_modified:
      description: When it last changed (ISO-8601).
      type: str
    created_by:
      description: Creator (C(id), C(name)).
      type: dict
    modified_by:
      description: Last modifier (C(id), C(name)).
      type: dict
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

from ansible_collections.genesys.cloud.plugins.module_utils._api.info_reads import LANGUAGE_ARGUMENT_SPEC
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.scopes_and_authorizations import authorizations_info


def argument_spec():
    return dict(
        client_id=dict(type='str'),
        fail_on_missing=dict(type='bool', default=False),
        **LANGUAGE_ARGUMENT_SPEC
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.run(lambda: authorizations_info(api=module.api, params=module.params))


if __name__ == '__main__':
    main()
