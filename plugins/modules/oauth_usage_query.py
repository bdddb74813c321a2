#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_usage_query
short_description: Query the API usage of a Genesys Cloud OAuth client
version_added: 0.1.0
description:
  - Answers "who is calling our API, how much, and is anything failing" for one OAuth client.
  - Runs a usage query (O(interval) or O(days), O(granularity), O(metrics), O(group_by)),
    or with O(summary=true) the usage summary of the last O(days), then polls the results
    until the query is no longer C(Running).
  - Returns the rows and their totals, so a playbook can assert on error rates directly.
  - Changes nothing.
author:
  - genesys.cloud maintainers (!UNKNOWN)
extends_documentation_fragment:
  - genesys.cloud.connection
  - genesys.cloud.connection.modules
  - genesys.cloud.attributes.info_module
options:
  client_id:
    description:
      - Id of the client whose usage to query.
      - One of O(client_id) and O(name) is required.
    type: str
  name:
    description:
      - Exact name of the client whose usage to query, when O(client_id) is not given.
        Several clients of that name make the module fail with their ids.
    type: str
  summary:
    description:
      - Use the usage summary of the last O(days) instead of a query.
      - Takes only O(days); O(interval), O(granularity), O(metrics) and O(group_by) are refused.
    type: bool
    default: false
  interval:
    description:
      - ISO-8601 C(start/end), for example V(2026-11-01T00:00:00Z/2026-11-08T00:00:00Z); the end must be after the start.
      - Mutually exclusive with O(days). Without either, the last 7 days.
    type: str
  days:
    description:
      - How many days back from now to query. Without O(interval) or O(days), 7.
    type: int
  granularity:
    description:
      - The period of each row.
    type: str
    choices: [Day, Week, Month]
  metrics:
    description:
      - Which counters to return; all when left out.
    type: list
    elements: str
    choices: [Status200, Status300, Status400, Status500, Status429, Requests]
  group_by:
    description:
      - Split rows further by these dimensions.
    type: list
    elements: str
    choices: [OAuthClientId, OrganizationId, TemplateUri, HttpMethod]
  wait_timeout:
    description:
      - Most seconds to wait for the query to finish; then the module fails naming the execution id.
    type: float
    default: 120
  poll_interval:
    description:
      - Seconds between polls of the query results.
    type: float
    default: 2
'''

EXAMPLES = r'''
- name: Last week's usage of the billing client, by endpoint
  genesys.cloud.oauth_usage_query:
    name: billing-sync
    days: 7
    group_by: [TemplateUri, HttpMethod]
  register: usage

- name: Fail when more than 1% of its requests were server errors or throttled
  ansible.builtin.assert:
    that:
      - (usage.totals.status500 + usage.totals.status429) <= (usage.totals.requests * 0.01)

- name: Usage summary of the last 30 days
  genesys.cloud.oauth_usage_query:
    client_id: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
    summary: true
    days: 30
'''

RETURN = r'''
client_id:
  description: Id of the client queried.
  returned: success
  type: str
execution_id:
  description: Execution id of the usage query.
  returned: success
  type: str
status:
  description: Final status of the query, C(Complete).
  returned: success
  type: str
polls:
  description: How many times the results were polled.
  returned: success
  type: int
rows:
  description: The usage rows.
  returned: success
  type: list
  elements: dict
  contains:
    date:
      description: Start of the row's period (ISO-8601).
      type: str
    client_id:
      description: Id of the client.
      type: str
    client_name:
      description: Name of the client.
      type: str
    organization_id:
      description: Id of the organisation, when grouped by it.
      type: str
    template_uri:
      description: API path template, when grouped by C(TemplateUri).
      type: str
    http_method:
      description: HTTP method, when grouped by C(HttpMethod).
      type: str
    requests:
      description: Number of requests.
      type: int
    status200:
      description: Requests answered 2xx.
      type: int
    status300:
      description: Requests answered 3xx.
      type: int
    status400:
      description: Requests answered 4xx other than 429.
      type: int
    status429:
      description: Requests answered 429 (rate limited).
      type: int
    status500:
      description: Requests answered 5xx.
      type: int
totals:
  description: Sums over all rows of C(requests), C(status200), C(status300), C(status400), C(status429) and C(status500).
  returned: success
  type: dict
  sample: {requests: 120, status200: 110, status300: 0, status400: 8, status429: 2, status500: 0}
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
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import GRANULARITIES, GROUP_BY, METRICS, USAGE_RULES, usage_of_client


def argument_spec():
    return dict(
        client_id=dict(type='str'),
        name=dict(type='str'),
        summary=dict(type='bool', default=False),
        interval=dict(type='str'),
        days=dict(type='int'),
        granularity=dict(type='str', choices=list(GRANULARITIES)),
        metrics=dict(type='list', elements='str', choices=list(METRICS)),
        group_by=dict(type='list', elements='str', choices=list(GROUP_BY)),
        wait_timeout=dict(type='float', default=120.0),
        poll_interval=dict(type='float', default=2.0),
    )


def main():
    module = GenesysModule(argument_spec=argument_spec(), supports_check_mode=True, **USAGE_RULES)
    module.run(lambda: usage_of_client(api=module.api, params=module.params))


if __name__ == '__main__':
    main()
