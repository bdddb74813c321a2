# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""API usage of an OAuth client: a query or a summary, polled until it is no longer Running."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from .oauth_client import client_path

GRANULARITIES = ('Day', 'Week', 'Month')
METRICS = ('Status200', 'Status300', 'Status400', 'Status500', 'Status429', 'Requests')
GROUP_BY = ('OAuthClientId', 'OrganizationId', 'TemplateUri', 'HttpMethod')
# The counters of a usage row, summed into totals.
COUNTERS = ('requests', 'status200', 'status300', 'status400', 'status429', 'status500')
ROW_FIELDS = dict(date='date', clientId='client_id', clientName='client_name', organizationId='organization_id',
                  userId='user_id', templateUri='template_uri', httpMethod='http_method',
                  requests='requests', status200='status200', status300='status300', status400='status400',
                  status429='status429', status500='status500')


class UsageQueryError(Exception):
    """The query Failed or did not finish in time; the message names the execution id."""


def parse_instant(text):
    value = datetime.fromisoformat(text.strip().replace('Z', '+00:00'))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def interval_error(interval):
    """Why an interval is not ISO-8601 start/end with the end after the start, or None."""
    parts = interval.split('/')
    if len(parts) != 2:
        return 'interval must be ISO-8601 start/end, such as 2026-11-01T00:00:00Z/2026-11-08T00:00:00Z; got %r' % interval
    try:
        start, end = (parse_instant(part) for part in parts)
    except ValueError:
        return 'interval must be ISO-8601 start/end, such as 2026-11-01T00:00:00Z/2026-11-08T00:00:00Z; got %r' % interval
    if end <= start:
        return 'interval must end after it starts; got %r' % interval
    return None


def validate_usage_params(params):
    """Check oauth_usage_query's options before any request; an error message or None."""
    if not params.get('client_id') and not params.get('name'):
        return 'one of client_id or name is required to pick the client'
    if params.get('summary'):
        given = [option for option in ('interval', 'granularity', 'metrics', 'group_by') if params.get(option)]
        if given:
            return 'summary=true takes only days; remove %s' % ', '.join(given)
    if params.get('interval') and params.get('days') is not None:
        return 'interval and days are mutually exclusive'
    if params.get('days') is not None and params['days'] < 1:
        return 'days must be 1 or more, got %d' % params['days']
    if params.get('interval'):
        problem = interval_error(params['interval'])
        if problem:
            return problem
    for option in ('wait_timeout', 'poll_interval'):
        if params[option] <= 0:
            return '%s must be a positive number of seconds, got %s' % (option, params[option])
    return None


def _iso(moment):
    return moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def days_interval(days, now=None):
    """The last days up to now. Milliseconds matter: an end cut to the second would miss the latest requests."""
    now = now or datetime.now(timezone.utc)
    return '%s/%s' % (_iso(now - timedelta(days=days)), _iso(now + timedelta(milliseconds=1)))


def query_body(params):
    body = dict(interval=params.get('interval') or days_interval(params.get('days') or 7))
    if params.get('granularity'):
        body['granularity'] = params['granularity']
    if params.get('metrics'):
        body['metrics'] = list(params['metrics'])
    if params.get('group_by'):
        body['groupBy'] = list(params['group_by'])
    return body


def row_from_api(row):
    return {ours: row[theirs] for theirs, ours in ROW_FIELDS.items() if theirs in row}


def totals_of(rows):
    return {counter: sum(row.get(counter) or 0 for row in rows) for counter in COUNTERS}


def run_usage_query(api, client_id, params, sleep=time.sleep, clock=time.monotonic):
    """Start the query (or summary), poll its results until not Running, and return the module result."""
    path = client_path(client_id)
    if params.get('summary'):
        execution = api.get(path + '/usage/summary', params=dict(days=str(params.get('days') or 7)))
    else:
        execution = api.post(path + '/usage/query', query_body(params))
    execution_id = execution.get('executionId')
    results_uri = execution.get('resultsUri') or '%s/usage/query/results/%s' % (path, execution_id)
    deadline = clock() + params['wait_timeout']
    polls = 0
    while True:
        result = api.get(results_uri)
        polls += 1
        status = result.get('queryStatus')
        if status != 'Running':
            break
        if clock() + params['poll_interval'] > deadline:
            raise UsageQueryError('usage query %s is still Running after %s seconds (%d polls); raise wait_timeout'
                                  % (execution_id, params['wait_timeout'], polls))
        sleep(params['poll_interval'])
    if status != 'Complete':
        raise UsageQueryError('usage query %s ended with status %s' % (execution_id, status))
    rows = [row_from_api(row) for row in result.get('results') or []]
    return dict(client_id=client_id, execution_id=execution_id, status=status, polls=polls, rows=rows,
                totals=totals_of(rows))
