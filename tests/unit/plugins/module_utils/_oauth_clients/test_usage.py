"""Usage query helpers: input checks, the days interval, rows and totals."""

from datetime import datetime, timezone

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import (
    days_interval, interval_error, parse_instant, query_body, row_from_api, totals_of)


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
