#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: oauth_usage_query
short_description: Query the API usage of a Genesys Cloud OAuth client, or of every client of the organisation
version_added: 0.1.0
description:
  - Answers "who is calling our API, how much, and is anything failing" for one OAuth client, or for every
    client of the organisation at once.
  - Runs a usage query (O(interval) or O(days), O(granularity), O(metrics), O(group_by)),
    or with O(summary=true) the usage summary of the last O(days), then polls the results
    until the query is no longer C(Running).
  - With O(client_id) or O(name), the query is of that client. With neither, it is one query of the whole
    organisation (C(POST /api/v2/usage/query)), its rows split by client, and the result also holds the totals of
    each client in RV(clients). It costs the same few requests (one query, then its polls) however many clients the
    organisation has.
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
      - Without O(client_id) and O(name), the usage of the whole organisation is queried. Given empty (an unset
        variable), either fails rather than query the whole organisation.
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
      - A summary is of one client; it needs O(client_id) or O(name).
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
      - The query of the whole organisation always splits its rows by client (C(OAuthClientId) comes first).
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
notes:
  - The query of the whole organisation needs a permission to read the organisation's usage
    (C(usage:organization:view)); a login refused it fails with the API error (HTTP 403).
  - Genesys Cloud has two organisation-wide usage APIs. The module uses the query (C(POST /api/v2/usage/query),
    then C(GET /api/v2/usage/query/{executionId}/results)), not the newer jobs API
    (C(POST /api/v2/usage/aggregates/query/jobs)). The query takes the same body as a client's query, so O(metrics),
    O(group_by), O(interval) and the rows are the same with or without a client. A job's interval may start at most
    a year ago and span at most 90 days, which would refuse O(days) over 90 or split it into several jobs, and a
    job's results come in pages.
  - Should the query's results ever come with a cursor to more (C(cursors.after)), which its results request takes
    no cursor to follow, the module fails rather than return short totals.
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

- name: Every client's usage over the last 30 days, in one query of the organisation
  genesys.cloud.oauth_usage_query:
    days: 30
  register: org_usage

- name: The five busiest clients and their throttled requests
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.id }}): {{ item.totals.requests }} requests, {{ item.totals.status429 }} throttled"
  loop: "{{ org_usage.clients[:5] }}"
  loop_control:
    label: "{{ item.name }}"
'''

RETURN = r'''
client_id:
  description: Id of the client queried.
  returned: when O(client_id) or O(name) was given
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
      description: Id of the client (the query of the organisation always has it).
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
  description:
    - Sums over all rows of C(requests), C(status200), C(status300), C(status400), C(status429) and C(status500)
      (only those of O(metrics) when given).
  returned: success
  type: dict
  sample: {requests: 120, status200: 110, status300: 0, status400: 8, status429: 2, status500: 0}
clients:
  description:
    - The totals of each client the rows name, most requests first (then by name and id).
    - A client that made no request in the interval has no row, so it is not listed.
  returned: when neither O(client_id) nor O(name) was given
  type: list
  elements: dict
  contains:
    id:
      description: Id of the client.
      type: str
    name:
      description: Name of the client, as the rows give it.
      type: str
    totals:
      description: Sums over the client's rows, of the same counters as RV(totals).
      type: dict
  sample:
    - id: 5d3a1a0b-6a7f-4a59-8a52-3f4b0d86a0e1
      name: billing-sync
      totals: {requests: 100, status200: 95, status300: 0, status400: 3, status429: 2, status500: 0}
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
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import GRANULARITIES, GROUP_BY, METRICS, USAGE_RULES, usage_query


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
    module.run(lambda: usage_query(api=module.api, params=module.params))


if __name__ == '__main__':
    main()
