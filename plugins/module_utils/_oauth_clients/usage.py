# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""API usage of an OAuth client (a query or a summary) or of the whole organisation (a query with the totals of
each client), polled until it is no longer Running."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

from .._oauth.client_reads import resolve_client
from .._oauth.client_model import check_client_named, client_path
from .._api.errors import GenesysApiError, GenesysError, InputError
from .._api.http_client import as_answer, parse_instant, require_field

GRANULARITIES = ('Day', 'Week', 'Month')
METRICS = ('Status200', 'Status300', 'Status400', 'Status500', 'Status429', 'Requests')
GROUP_BY = ('OAuthClientId', 'OrganizationId', 'TemplateUri', 'HttpMethod')
# The counters of a usage row, summed into totals; a metric is named like its counter (Status429 -> status429).
COUNTERS = ('requests', 'status200', 'status300', 'status400', 'status429', 'status500')
# The longest days back a query may reach; more is surely a typo, and would overflow the date arithmetic.
MAX_DAYS = 36500
ROW_FIELDS = dict(date='date', clientId='client_id', clientName='client_name', organizationId='organization_id',
                  userId='user_id', templateUri='template_uri', httpMethod='http_method',
                  requests='requests', status200='status200', status300='status300', status400='status400',
                  status429='status429', status500='status500')


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


# The organisation's usage query (the legacy one: see the module's notes for why not the jobs API), and the
# permission Genesys names for it (it also takes oauth:client:view).
ORG_QUERY_PATH = '/api/v2/usage/query'
ORG_USAGE_PERMISSION = 'usage:organization:view'


class PartialUsage(GenesysError):
    """The organisation's query answered a page of its results with a cursor to more (ApiUsageQueryResult.cursors),
    which its results request cannot follow (the SDK's takes only the execution id): totals from it would be short,
    and a client missing from them would read as unused."""


# The cross-field rules of oauth_usage_query's options, as GenesysModule takes them. Neither client_id nor name: the
# whole organisation. (summary=true refusing the query's options, and needing a client, are rules of values:
# summary=false may go with them, and no rule kind says so.)
USAGE_RULES = dict(mutually_exclusive=[('interval', 'days')])


def validate_usage_params(params):
    """Check the values of oauth_usage_query's options before any request (USAGE_RULES were checked before);
    raises InputError naming the option."""
    if names_a_client(params):
        check_client_named(params)  # given empty (an unset variable), they must not turn into the whole organisation
    problem = _values_problem(params)
    if problem:
        raise InputError(problem)


def names_a_client(params):
    """Whether the options name one client (client_id or name given, even empty) rather than the organisation."""
    return params.get('client_id') is not None or params.get('name') is not None


def _values_problem(params):
    if params.get('summary') and not names_a_client(params):
        return ('summary=true needs client_id or name: the usage summary is of one client (without them, the module '
                'queries the whole organisation)')
    if params.get('summary'):
        given = [option for option in ('interval', 'granularity', 'metrics', 'group_by') if params.get(option)]
        if given:
            return 'summary=true takes only days; remove %s' % ', '.join(given)
    if params.get('interval'):
        problem = interval_error(params['interval'])
        if problem:
            return problem
    return (days_problem(params.get('days')) or seconds_problem(params['wait_timeout'], 'wait_timeout')
            or seconds_problem(params['poll_interval'], 'poll_interval'))


def days_problem(days, option='days'):
    """Why a number of days cannot be asked for, or None; the inventory plugin names its option usage_days."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        return '%s must be from 1 to %d, got %d' % (option, MAX_DAYS, days)
    return None


def seconds_problem(value, option):
    if value <= 0:
        return '%s must be a positive number of seconds, got %s' % (option, value)
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


def snake_case(name):
    return re.sub(r'(?<=[a-z0-9])([A-Z])', r'_\1', name).lower()


def row_from_api(row):
    """A usage row in snake_case; a field the API adds (a new counter) comes through under its snake_case name."""
    row = as_answer(row)
    # The counters are summed: each is read as a number (a malformed one names the row and the field).
    return {ROW_FIELDS.get(key) or snake_case(key): row.number(key) if (ROW_FIELDS.get(key) or snake_case(key)) in COUNTERS
            else value for key, value in row.items()}


def counters_of(rows, metrics=None):
    """The counters asked for (metrics, as the API names them), or every counter the rows hold."""
    if metrics:
        return [metric.lower() for metric in metrics]
    return list(COUNTERS) + sorted({key for row in rows for key, value in row.items() if key not in COUNTERS
                                    and key not in ROW_FIELDS.values() and isinstance(value, int)
                                    and not isinstance(value, bool)})


def totals_of(rows, metrics=None, counters=None):
    """Sums of the counters (by default those of counters_of) over rows."""
    return {counter: sum(row.get(counter) or 0 for row in rows) for counter in counters or counters_of(rows, metrics)}


def clients_of(rows, counters):
    """The totals of each client the rows name: [dict(id, name, totals)], most requests first, then by name (the
    unnamed last) and id. A row that names no client counts in no client's totals."""
    rows_of = {}
    for row in rows:
        if row.get('client_id') is not None:
            rows_of.setdefault(row['client_id'], []).append(row)
    clients = [dict(id=client_id, name=next((row['client_name'] for row in its_rows if row.get('client_name')), None),
                    totals=totals_of(its_rows, counters=counters)) for client_id, its_rows in rows_of.items()]
    return sorted(clients, key=lambda client: (-(client['totals'].get('requests') or 0), client['name'] is None,
                                               client['name'] or '', client['id']))


def _poll(api, execution_id, results_uri, params, sleep, clock):
    """Poll a query's results until it is not Running: (the results, how many polls)."""
    deadline = clock() + params['wait_timeout']
    polls = 0
    while True:
        result = api.get(results_uri)
        polls += 1
        if not isinstance(result, dict):
            raise GenesysApiError('the usage query results are not a JSON object', method='GET', path=results_uri)
        status = result.get('queryStatus')
        if status != 'Running':
            break
        if clock() + params['poll_interval'] > deadline:
            raise GenesysError('usage query %s is still Running after %s seconds (%d polls); raise wait_timeout'
                               % (execution_id, params['wait_timeout'], polls))
        sleep(params['poll_interval'])
    if status != 'Complete':
        raise GenesysError('usage query %s ended with status %s' % (execution_id, status))
    return result, polls


def _started(execution, method, path, default_results_uri):
    """(execution id, results URI) of a started query: the URI the API gives, else the documented one."""
    execution_id = require_field(execution, 'executionId', method, path)
    return execution_id, as_answer(execution).text('resultsUri') or default_results_uri % execution_id


def run_usage_query(api, client_id, params, sleep=time.sleep, clock=time.monotonic):
    """Start a client's query (or summary), poll its results until not Running, and return the module result."""
    path = client_path(client_id)
    if params.get('summary'):
        start = ('GET', path + '/usage/summary')
        execution = api.get(start[1], params=dict(days=str(params.get('days') or 7)))
    else:
        start = ('POST', path + '/usage/query')
        # Starting a query changes nothing in the organisation.
        execution = api.post(start[1], query_body(params), changes=False)
    execution_id, results_uri = _started(execution, start[0], start[1], path + '/usage/query/results/%s')
    result, polls = _poll(api, execution_id, results_uri, params, sleep, clock)
    rows = [row_from_api(row) for row in as_answer(result).objects('results')]
    return dict(client_id=client_id, execution_id=execution_id, status='Complete', polls=polls, rows=rows,
                totals=totals_of(rows, None if params.get('summary') else params.get('metrics')))


def run_org_usage_query(api, params, sleep=time.sleep, clock=time.monotonic):
    """The organisation's query, its rows split by client (OAuthClientId first in groupBy), polled until not Running:
    the module result, with the totals of each client in clients."""
    body = query_body(params)
    body['groupBy'] = ['OAuthClientId'] + [group for group in params.get('group_by') or [] if group != 'OAuthClientId']
    # Starting a query changes nothing in the organisation.
    execution = api.post(ORG_QUERY_PATH, body, changes=False)
    execution_id, results_uri = _started(execution, 'POST', ORG_QUERY_PATH, ORG_QUERY_PATH + '/%s/results')
    result, polls = _poll(api, execution_id, results_uri, params, sleep, clock)
    cursors = as_answer(result).object('cursors')
    if cursors is not None and cursors.text('after'):
        raise PartialUsage('the organisation\'s usage query (execution %s) answered only the first page of its results '
                           '(cursors.after), and its results request takes no cursor: the totals would be short, so '
                           'none are given; query fewer days, a coarser granularity or fewer group_by, or one client '
                           'at a time (client_id)' % execution_id)
    rows = [row_from_api(row) for row in as_answer(result).objects('results')]
    counters = counters_of(rows, params.get('metrics'))
    return dict(execution_id=execution_id, status='Complete', polls=polls, rows=rows,
                totals=totals_of(rows, counters=counters), clients=clients_of(rows, counters))


def usage_query(api, params):
    """The run of oauth_usage_query: check the options, then query one client (found by id or name) or, with
    neither, the whole organisation."""
    validate_usage_params(params)
    if not names_a_client(params):
        return dict(changed=False, **run_org_usage_query(api, params))
    client = resolve_client(api, params['client_id'], params['name'])
    if client is None:
        raise GenesysError('no OAuth client %r to query the usage of' % (params['client_id'] or params['name']))
    return dict(changed=False, **run_usage_query(api, client['id'], params))
