"""API usage queries: rows computed from the requests a client's tokens really made against the emulator."""

import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

from .api_facts import USAGE_GRANULARITIES as GRANULARITIES, USAGE_GROUP_BY as GROUP_BY, USAGE_METRICS as METRICS
from .api_facts import type_problem
from .store import ApiError, bad_request


def parse_instant(text):
    try:
        value = datetime.fromisoformat(text.replace('Z', '+00:00'))
    except (AttributeError, ValueError):
        raise bad_request('Invalid interval instant %r: use ISO-8601.' % (text,))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def parse_interval(interval):
    if not isinstance(interval, str) or not re.match(r'^[^/]+/[^/]+$', interval):
        raise bad_request('interval is required, as ISO-8601 start/end.')
    start, end = (parse_instant(part) for part in interval.split('/'))
    if end <= start:
        raise bad_request('The interval end must be after its start.')
    return start, end


def status_class(status):
    if status == 429:
        return 'status429'
    return 'status%d00' % min(5, max(2, status // 100))


def bucket(moment, granularity):
    day = moment.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == 'Week':
        day -= timedelta(days=day.weekday())
    elif granularity == 'Month':
        day = day.replace(day=1)
    return day.strftime('%Y-%m-%dT%H:%M:%SZ')


class UsageQueries:
    """Stored queries by execution id: Running for some polls, then Complete (or Failed) with rows."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queries = {}

    def clear(self):
        with self.lock:
            self.queries = {}

    def submit(self, client, query, config):
        if not isinstance(query, dict):
            raise bad_request('The request body must be a JSON object.')
        problem = type_problem('ApiUsageClientQuery', query) if config.get('strict') else None
        if problem:
            raise bad_request(problem + '.')
        start, end = parse_interval(query.get('interval'))
        granularity = query.get('granularity') or 'Day'
        if granularity not in GRANULARITIES:
            raise bad_request('granularity must be one of %s.' % ', '.join(GRANULARITIES), 'invalid.value')
        metrics = query.get('metrics') or list(METRICS)
        group_by = query.get('groupBy') or []
        for name, values, allowed in (('metrics', metrics, METRICS), ('groupBy', group_by, GROUP_BY)):
            unknown = [value for value in values if value not in allowed]
            if unknown:
                raise bad_request('Unknown %s %s; allowed: %s.' % (name, ', '.join(map(str, unknown)), ', '.join(allowed)),
                                  'invalid.value')
        execution_id = str(uuid.uuid4())
        with self.lock:
            self.queries[execution_id] = dict(
                client_id=client['id'], client_name=client['name'], start=start, end=end, granularity=granularity,
                metrics=metrics, group_by=group_by, polls_left=int(config['usage_running_polls']),
                outcome=config['usage_query_outcome'])
        return dict(executionId=execution_id,
                    resultsUri='/api/v2/oauth/clients/%s/usage/query/results/%s' % (client['id'], execution_id))

    def result(self, client_id, execution_id, request_log, organization_id):
        with self.lock:
            query = self.queries.get(execution_id)
            if query is None or query['client_id'] != client_id:
                raise ApiError(404, 'not.found', 'Unable to find usage query with execution id %s' % execution_id)
            if query['polls_left'] > 0:
                query['polls_left'] -= 1
                return dict(queryStatus='Running', results=[])
            if query['outcome'] == 'Failed':
                return dict(queryStatus='Failed', results=[])
        return dict(queryStatus='Complete', results=self._rows(query, request_log, organization_id))

    @staticmethod
    def _rows(query, request_log, organization_id):
        rows = {}
        for entry in request_log:
            when = datetime.fromtimestamp(entry['time'], timezone.utc)
            if entry['client_id'] != query['client_id'] or entry['path'] == '/oauth/token' \
                    or not query['start'] <= when < query['end'] or entry['status'] is None:
                continue
            facts = dict(clientId=query['client_id'], organizationId=organization_id,
                         templateUri=entry.get('template_uri') or entry['path'], httpMethod=entry['method'])
            key = (bucket(when, query['granularity']),) + tuple(facts[GROUP_BY[name]] for name in query['group_by'])
            row = rows.get(key)
            if row is None:
                row = dict(date=key[0], clientId=query['client_id'], clientName=query['client_name'])
                row.update({GROUP_BY[name]: facts[GROUP_BY[name]] for name in query['group_by']})
                row.update({field: 0 for field in METRICS.values()})
                rows[key] = row
            row['requests'] += 1
            row[status_class(entry['status'])] += 1
        wanted = {METRICS[name] for name in query['metrics']}
        return [{key: value for key, value in row.items() if key not in METRICS.values() or key in wanted}
                for _key, row in sorted(rows.items())]
