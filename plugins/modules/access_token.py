#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: access_token
short_description: Log in to Genesys Cloud once and return the bearer token for the tasks that follow
version_added: 0.1.0
description:
  - Logs in with the client credentials of the connection options and returns the access token, so a play
    can log in once and hand the token to every later task through C(module_defaults) for
    C(group/genesys.cloud.genesys) (O(auth_token)). A loop of module tasks then pays no login per item.
  - 'The token is a secret: use C(no_log: true) on this task. Later tasks take it as O(auth_token), which they
    never show.'
  - Changes nothing.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.attributes.info_module
options: {}
notes:
  - The token lives RV(expires_in) seconds (a day by default in Genesys Cloud); a play that runs longer should
    log in again.
  - Needs client credentials (O(auth_client_id), O(auth_client_secret) or their environment variables).
'''

EXAMPLES = r'''
- name: Log in once
  genesys.cloud.access_token:
  register: genesys_login
  no_log: true

- name: Every task after it uses the token, with no login of its own
  module_defaults:
    group/genesys.cloud.genesys:
      auth_token: "{{ genesys_login.access_token }}"
  block:
    - name: Read each client by id, one GET each
      genesys.cloud.oauth_client_info:
        client_id: "{{ item }}"
      loop: "{{ client_ids }}"
'''

RETURN = r'''
access_token:
  description: The bearer token. A secret; register it with C(no_log).
  returned: success
  type: str
expires_in:
  description: Seconds the token is valid for, as the login answered.
  returned: success
  type: int
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

from ansible_collections.genesys.cloud.plugins.module_utils._api.connection import log_in
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule


def argument_spec():
    return {}


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.run(lambda: log_in(api=module.api))


if __name__ == '__main__':
    main()
