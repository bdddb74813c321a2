"""API usage: rows computed from the requests the clients' tokens really made against the emulator.

Three ways to ask, as the API has them:
- a client's query or summary (POST /api/v2/oauth/clients/{id}/usage/query, GET .../usage/summary), rows of that
  client (ApiUsageRow);
- the organisation's query (POST /api/v2/usage/query, ApiUsageOrganizationQuery), rows of every client;
- the organisation's jobs API (POST /api/v2/usage/aggregates/query/jobs), OrganizationPublicApiUsage entities in
  pages (pageSize, and a cursor in nextUri), with its interval limits.

Each answers Running (a job: Queued, then Running) for usage_running_polls polls, then ends as usage_query_outcome.
"""

import base64
import binascii
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

from .api_facts import USAGE_GRANULARITIES as GRANULARITIES, USAGE_GROUP_BY as GROUP_BY, USAGE_METRICS as METRICS
from .api_facts import (USAGE_JOB_GROUP_BY as JOB_GROUP_BY, USAGE_JOB_HTTP_METHODS, USAGE_JOB_MAX_AGE_DAYS,
                        USAGE_JOB_MAX_PAGE_SIZE, USAGE_JOB_MAX_SPAN_DAYS, USAGE_JOB_METRICS as JOB_METRICS,
                        USAGE_JOB_PAGE_SIZE, USAGE_JOB_SORT_ORDERS, USAGE_ORG_GROUP_BY as ORG_GROUP_BY,
                        RESPONSE_MODELS, type_problem)
from .store import ApiError, bad_request

ORG_QUERY_PATH = '/api/v2/usage/query'
JOBS_PATH = '/api/v2/usage/aggregates/query/jobs'


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
    """The start of the Day, Week (Monday) or Month that moment falls in."""
    day = moment.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == 'Week':
        day -= timedelta(days=day.weekday())
    elif granularity == 'Month':
        day = day.replace(day=1)
    return day


def forbidden_unless(config):
    """With the test switch org_usage_forbidden on, 403 as to a login without usage:organization:view, the permission
    of the organisation's usage (the Java SDK's UsageApi docs; the legacy query also takes oauth:client:view)."""
    if config.get('org_usage_forbidden'):
        raise ApiError(403, 'missing.permissions', 'Unable to perform the requested action. You are missing the '
                       'following permission(s): [usage:organization:view]')


def _checked_list(name, values, allowed):
    if values is None:
        return []
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise bad_request('Unknown %s %s; allowed: %s.' % (name, ', '.join(map(str, unknown)), ', '.join(allowed)),
                          'invalid.value')
    return values


def _granularity(query):
    granularity = query.get('granularity') or 'Day'
    if granularity not in GRANULARITIES:
        raise bad_request('granularity must be one of %s.' % ', '.join(GRANULARITIES), 'invalid.value')
    return granularity


def _traffic(request_log, start, end, inclusive_end=False):
    """(moment, entry) of every logged API request a client's token made within the interval."""
    for entry in request_log:
        when = datetime.fromtimestamp(entry['time'], timezone.utc)
        if entry['client_id'] is None or entry['path'] == '/oauth/token' or entry['status'] is None:
            continue
        if start <= when and (when <= end if inclusive_end else when < end):
            yield when, entry


class UsageQueries:
    """Stored queries by execution id, and jobs by job id: Running for some polls, then Complete (or Failed)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.queries = {}
        self.jobs = {}

    def clear(self):
        with self.lock:
            self.queries = {}
            self.jobs = {}

    # --- the query of a client, or of the organisation (ApiUsageClientQuery, ApiUsageOrganizationQuery) ---------

    def _submit(self, model, group_by_allowed, query, config, **facts):
        if not isinstance(query, dict):
            raise bad_request('The request body must be a JSON object.')
        problem = type_problem(model, query) if config.get('strict') else None
        if problem:
            raise bad_request(problem + '.')
        start, end = parse_interval(query.get('interval'))
        execution_id = str(uuid.uuid4())
        with self.lock:
            self.queries[execution_id] = dict(
                facts, start=start, end=end, granularity=_granularity(query),
                metrics=_checked_list('metrics', query.get('metrics'), METRICS) or list(METRICS),
                group_by=_checked_list('groupBy', query.get('groupBy'), group_by_allowed),
                polls_left=int(config['usage_running_polls']), outcome=config['usage_query_outcome'])
        return execution_id

    def submit(self, client, query, config):
        """A client's query (its summary is one too): rows of that client's requests."""
        execution_id = self._submit('ApiUsageClientQuery', GROUP_BY, query, config, client_id=client['id'],
                                    client_name=client['name'])
        return dict(executionId=execution_id,
                    resultsUri='/api/v2/oauth/clients/%s/usage/query/results/%s' % (client['id'], execution_id))

    def submit_org(self, query, config):
        """The organisation's query: rows of every client's requests."""
        execution_id = self._submit('ApiUsageOrganizationQuery', ORG_GROUP_BY, query, config, client_id=None,
                                    cursor=bool(config.get('org_usage_cursor')))
        return dict(executionId=execution_id, resultsUri='%s/%s/results' % (ORG_QUERY_PATH, execution_id))

    def result(self, client_id, execution_id, request_log, organization_id, client_names):
        """The ApiUsageQueryResult of a query; client_id None for the organisation's."""
        with self.lock:
            query = self.queries.get(execution_id)
            if query is None or query['client_id'] != client_id:
                raise ApiError(404, 'not.found', 'Unable to find usage query with execution id %s' % execution_id)
            if query['polls_left'] > 0:
                query['polls_left'] -= 1
                return dict(queryStatus='Running', results=[])
            if query['outcome'] == 'Failed':
                return dict(queryStatus='Failed', results=[])
        body = dict(queryStatus='Complete', results=self._rows(query, request_log, organization_id, client_names))
        if query.get('cursor'):
            body['cursors'] = dict(after=str(uuid.uuid4()))  # an opaque cursor (SDK Cursors: before, after)
        return body

    @staticmethod
    def _rows(query, request_log, organization_id, client_names):
        """A client's rows always name it; the organisation's name a client when grouped by OAuthClientId."""
        rows = {}
        dimensions = ORG_GROUP_BY if query['client_id'] is None else GROUP_BY
        for when, entry in _traffic(request_log, query['start'], query['end']):
            if query['client_id'] is not None and entry['client_id'] != query['client_id']:
                continue
            facts = dict(clientId=entry['client_id'], organizationId=organization_id, userId=None,
                         templateUri=entry.get('template_uri') or entry['path'], httpMethod=entry['method'])
            key = (bucket(when, query['granularity']),) + tuple(facts[dimensions[name]] for name in query['group_by'])
            row = rows.get(key)
            if row is None:
                row = dict(date=key[0].strftime('%Y-%m-%dT%H:%M:%SZ'))
                if query['client_id'] is not None:
                    row.update(clientId=query['client_id'], clientName=query['client_name'])
                elif 'OAuthClientId' in query['group_by'] and client_names.get(entry['client_id']) is not None:
                    row['clientName'] = client_names[entry['client_id']]
                # A client-credentials token acts for no user: rows grouped by UserId carry none.
                row.update({dimensions[name]: facts[dimensions[name]] for name in query['group_by']
                            if facts[dimensions[name]] is not None})
                row.update({field: 0 for field in METRICS.values()})
                rows[key] = row
            row['requests'] += 1
            row[status_class(entry['status'])] += 1
        wanted = {METRICS[name] for name in query['metrics']}
        return [{key: value for key, value in row.items() if key not in METRICS.values() or key in wanted}
                for _key, row in sorted(rows.items(), key=lambda item: tuple(str(part) for part in item[0]))]

    # --- the organisation's jobs API (OrganizationPublicApiUsageQueryRequest) ------------------------------------

    def submit_job(self, body, config, now=None):
        if not isinstance(body, dict):
            raise bad_request('The request body must be a JSON object.')
        problem = type_problem('OrganizationPublicApiUsageQueryRequest', body) if config.get('strict') else None
        if problem:
            raise bad_request(problem + '.')
        start, end = parse_interval(body.get('interval'))
        now = now or datetime.now(timezone.utc)
        if start < now - timedelta(days=USAGE_JOB_MAX_AGE_DAYS):
            raise bad_request('The interval start cannot be more than a year ago.', 'invalid.value')
        if end - start > timedelta(days=USAGE_JOB_MAX_SPAN_DAYS):
            raise bad_request('The interval end cannot be more than %d days after its start.' % USAGE_JOB_MAX_SPAN_DAYS,
                              'invalid.value')
        sort_by = []
        for index, item in enumerate(body.get('sortBy') or []):
            if not isinstance(item, dict) or item.get('fieldName') not in RESPONSE_MODELS['OrganizationPublicApiUsage']:
                raise bad_request('sortBy[%d].fieldName must be a field of the results: %s.' % (
                    index, ', '.join(RESPONSE_MODELS['OrganizationPublicApiUsage'])), 'invalid.value')
            order = item.get('order') or 'Asc'
            if order not in USAGE_JOB_SORT_ORDERS:
                raise bad_request('sortBy[%d].order must be Asc or Desc.' % index, 'invalid.value')
            sort_by.append((item['fieldName'], order))
        job = dict(start=start, end=end, granularity=_granularity(body), sort_by=sort_by,
                   metrics=_checked_list('metrics', body.get('metrics'), JOB_METRICS) or list(JOB_METRICS),
                   group_by=_checked_list('groupBy', body.get('groupBy'), JOB_GROUP_BY),
                   http_methods=_checked_list('httpMethods', body.get('httpMethods'), USAGE_JOB_HTTP_METHODS),
                   filters={key: body.get(key) for key in ('oauthClientIds', 'userIds', 'templateUris', 'platforms')
                            if body.get(key)},
                   polls=0, polls_left=int(config['usage_running_polls']), outcome=config['usage_query_outcome'],
                   entities=None)
        job_id = str(uuid.uuid4())
        with self.lock:
            self.jobs[job_id] = job
        uri = '%s/%s' % (JOBS_PATH, job_id)
        return dict(id=job_id, resultsUri=uri, selfUri=uri)

    def job_result(self, job_id, params, request_log, client_names):
        """OrganizationPublicApiUsageResultsResponse: the job's status, then its entities a page at a time."""
        page_size = params.get('pageSize', str(USAGE_JOB_PAGE_SIZE))
        if not re.match(r'^[0-9]+$', page_size) or not 1 <= int(page_size) <= USAGE_JOB_MAX_PAGE_SIZE:
            raise bad_request('pageSize must be from 1 to %d.' % USAGE_JOB_MAX_PAGE_SIZE, 'invalid.value')
        page_size = int(page_size)
        self_uri = '%s/%s' % (JOBS_PATH, job_id)
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise ApiError(404, 'not.found', 'Unable to find usage query job with id %s' % job_id)
            job['polls'] += 1
            if job['polls_left'] > 0:
                job['polls_left'] -= 1
                return dict(queryStatus='Queued' if job['polls'] == 1 else 'Running', selfUri=self_uri)
            if job['outcome'] == 'Failed':
                return dict(queryStatus='Failed', selfUri=self_uri, errorBody=dict(
                    message='The usage query failed.', code='internal.server.error', status=500))
            if job['entities'] is None:  # computed once, so that every page reads the same results
                job['entities'] = self._entities(job, request_log, client_names)
            entities = job['entities']
        offset = self._offset(job_id, params.get('after'))
        body = dict(queryStatus='Succeeded', entities=entities[offset:offset + page_size], selfUri=self_uri)
        if offset + page_size < len(entities):
            cursor = base64.urlsafe_b64encode(('%s:%d' % (job_id, offset + page_size)).encode()).decode()
            body['nextUri'] = '%s?pageSize=%d&after=%s' % (self_uri, page_size, cursor)
        return body

    @staticmethod
    def _offset(job_id, cursor):
        if not cursor:
            return 0
        try:
            owner, offset = base64.urlsafe_b64decode(cursor.encode()).decode().rsplit(':', 1)
            if owner == job_id and offset.isdigit():
                return int(offset)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
        raise bad_request('The cursor %r is not one of this job\'s.' % cursor, 'invalid.value')

    @staticmethod
    def _entities(job, request_log, client_names):
        """Not aggregated (every dimension apart) without groupBy; the emulator knows no platform and no user."""
        dimensions = job['group_by'] or list(JOB_GROUP_BY)
        filters, entities = job['filters'], {}
        for when, entry in _traffic(request_log, job['start'], job['end'], inclusive_end=True):
            template = entry.get('template_uri') or entry['path']
            if (job['http_methods'] and entry['method'] not in job['http_methods']) \
                    or entry['client_id'] not in filters.get('oauthClientIds', [entry['client_id']]) \
                    or template not in filters.get('templateUris', [template]) \
                    or 'userIds' in filters or 'platforms' in filters:
                continue
            facts = dict(OauthClientId=entry['client_id'], OauthClientName=client_names.get(entry['client_id']),
                         UserId=None, HttpMethod=entry['method'], TemplateUri=template, Platform=None)
            key = (bucket(when, job['granularity']),) + tuple(str(facts[name]) for name in dimensions)
            entity = entities.get(key)
            if entity is None:
                entity = dict(date=key[0].strftime('%Y-%m-%d'))
                if 'OauthClientId' in dimensions or 'OauthClientName' in dimensions:
                    ref = dict(id=facts['OauthClientId'], name=facts['OauthClientName'],
                               selfUri='/api/v2/oauth/clients/%s' % facts['OauthClientId'])
                    if 'OauthClientId' not in dimensions:
                        ref = dict(name=facts['OauthClientName'])
                    entity['oauthClient'] = {field: value for field, value in ref.items() if value is not None}
                entity.update({JOB_GROUP_BY[name]: facts[name] for name in ('HttpMethod', 'TemplateUri')
                               if name in dimensions})
                entity.update({field: 0 for field in JOB_METRICS.values()})
                entities[key] = entity
            entity['requestCount'] += 1
            entity[status_class(entry['status'])] += 1
        wanted = {JOB_METRICS[name] for name in job['metrics']}
        rows = [{key: value for key, value in entity.items() if key not in JOB_METRICS.values() or key in wanted}
                for _key, entity in sorted(entities.items())]
        for field, order in reversed(job['sort_by']):
            rows.sort(key=lambda row, field=field: str(row.get(field, '')) if not isinstance(row.get(field), int)
                      else '%020d' % row[field], reverse=order == 'Desc')
        return rows
