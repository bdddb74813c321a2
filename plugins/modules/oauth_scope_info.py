#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_scope_info
short_description: Read the OAuth scopes of Genesys Cloud
version_added: 0.1.0
description:
  - Returns every OAuth scope a client can be given, or one by O(scope_id), with its description
    in the language asked for. Changes nothing.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.attributes.info_module
  - genesys.cloud.language
options:
  scope_id:
    description:
      - Id of the one scope to return, for example V(analytics:readonly).
    type: str
  fail_on_missing:
    description:
      - Fail when O(scope_id) names no scope, instead of returning an empty list.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Every scope, described in German
  genesys.cloud.oauth_scope_info:
    language: de-de
  register: scopes

- name: Does this scope exist?
  genesys.cloud.oauth_scope_info:
    scope_id: analytics:readonly
    fail_on_missing: true
'''

RETURN = r'''
scopes:
  description: The scopes found.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the scope.
      type: str
      sample: analytics:readonly
    description:
      description: What the scope allows, in O(language).
      type: str
      sample: View analytics data
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
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.scopes_and_authorizations import scopes_info


def argument_spec():
    return dict(
        scope_id=dict(type='str'),
        fail_on_missing=dict(type='bool', default=False),
        **LANGUAGE_ARGUMENT_SPEC
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.run(lambda: scopes_info(api=module.api, params=module.params))


if __name__ == '__main__':
    main()
