"""Usage query helpers: input checks, the days interval, rows and totals."""

from datetime import datetime, timezone

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import (
    clients_of, counters_of, days_interval, interval_error, parse_instant, query_body, row_from_api, totals_of,
    validate_usage_params)


def test_days_interval_ends_after_now_not_at_the_start_of_its_second():
    now = datetime(2026, 11, 22, 12, 0, 0, 950000, tzinfo=timezone.utc)
    start, end = (parse_instant(part) for part in days_interval(1, now).split('/'))
    assert end > now and (end - now).total_seconds() < 0.01
    assert (now - start).days == 1
    assert interval_error(days_interval(7)) is None


@pytest.mark.parametrize('interval,expected', [
    ('2026-01-01T00:00:00Z/2026-01-02T00:00:00Z', None),
    ('2026-01-01/2026-01-02', None),
    ('2026-01-01T00:00:00+02:00/2026-01-01T00:00:00Z', None),
    ('2026-01-02T00:00:00Z/2026-01-01T00:00:00Z', 'end after it starts'),
    ('2026-01-01T00:00:00Z', 'ISO-8601 start/end'),
    ('yesterday/today', 'ISO-8601 start/end'),
])
def test_interval_checks(interval, expected):
    problem = interval_error(interval)
    assert (problem is None) if expected is None else (expected in problem)


def test_query_body_sends_only_what_was_given():
    body = query_body(dict(interval='a/b', granularity=None, metrics=['Requests'], group_by=None, days=None))
    assert body == dict(interval='a/b', metrics=['Requests'])
    assert query_body(dict(days=3))['interval'].count('/') == 1


def test_rows_and_totals():
    rows = [row_from_api(dict(date='d', clientId='c', templateUri='/x', httpMethod='GET', requests=3, status200=2,
                              status429=1, unknownField=1)),
            row_from_api(dict(date='d', clientId='c', requests=1, status500=1))]
    # A field the API adds comes through in snake_case, and a new counter is totalled like the others.
    assert rows[0] == dict(date='d', client_id='c', template_uri='/x', http_method='GET', requests=3, status200=2,
                           status429=1, unknown_field=1)
    assert totals_of(rows) == dict(requests=4, status200=2, status300=0, status400=0, status429=1, status500=1,
                                   unknown_field=1)


def test_totals_hold_only_the_metrics_asked_for():
    rows = [row_from_api(dict(date='d', status429=2, requests=5)), row_from_api(dict(date='e', status429=1))]
    assert totals_of(rows, ['Status429']) == dict(status429=3)
    assert totals_of(rows, ['Requests', 'Status429']) == dict(requests=5, status429=3)


def test_clients_hold_the_totals_of_their_rows_most_requests_first():
    rows = [row_from_api(row) for row in (
        dict(clientId='b', clientName='beta', requests=2, status200=2),
        dict(clientId='a', clientName='alpha', requests=2, status429=2),
        dict(clientId='c', requests=5, status500=5),
        dict(clientId='b', requests=1, status400=1),
        dict(requests=9, status200=9))]  # a row that names no client
    counters = counters_of(rows, ['Requests', 'Status429'])
    assert clients_of(rows, counters) == [
        dict(id='c', name=None, totals=dict(requests=5, status429=0)),
        dict(id='b', name='beta', totals=dict(requests=3, status429=0)),
        dict(id='a', name='alpha', totals=dict(requests=2, status429=2))]
    assert clients_of(rows, counters_of(rows, ['Status429']))[0]['id'] == 'a'  # without requests: by name


OPTIONS = dict(client_id=None, name=None, summary=False, interval=None, days=None, granularity=None, metrics=None,
               group_by=None, wait_timeout=120.0, poll_interval=2.0)


@pytest.mark.parametrize('given,problem', [
    (dict(), None),  # the whole organisation
    (dict(client_id='c'), None),
    (dict(client_id=''), 'client_id must not be empty'),  # an unset variable never turns into the organisation
    (dict(name=''), 'name must not be empty'),
    (dict(summary=True), 'summary=true needs client_id or name'),
    (dict(summary=True, name='n', days=3), None),
])
def test_the_organisation_is_queried_only_when_no_client_is_named(given, problem):
    if problem is None:
        validate_usage_params(dict(OPTIONS, **given))
        return
    with pytest.raises(InputError) as failure:
        validate_usage_params(dict(OPTIONS, **given))
    assert str(failure.value).startswith(problem)
