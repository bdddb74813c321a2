"""The emulator's HTTP side: routing, bearer auth, rate limits, paging, fault injection and the request log.

Test-only endpoints live under /__emulator/ and are neither authenticated, rate limited nor logged.
"""

import base64
import binascii
import json
import math
import re
import ssl
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from .api_facts import RATE_LIMIT_CODE, RATE_LIMIT_MESSAGE
from .seed import ORGANIZATION_ID
from .api_facts import added_fields_problem
from .store import ApiError, Store, bad_request
from .usage import JOBS_PATH, ORG_QUERY_PATH, UsageQueries, forbidden_unless

DEFAULT_CONFIG = dict(
    page_size=25,             # default pageSize of listings
    max_page_size=100,        # larger pageSize requests are capped to this
    rate_limit=300,           # requests per token per rate_limit_window seconds
    rate_limit_window=60,
    token_ttl=86400,          # seconds a token lives
    deleted_visible_reads=1,  # GETs of a deleted client that still answer state 'deleted' before 404
    usage_running_polls=2,    # result polls of a usage query that answer Running before it ends
    usage_query_outcome='Complete',  # how usage queries end: Complete or Failed (a job: Succeeded or Failed)
    org_usage_forbidden=False,  # the organisation's usage APIs answer 403 missing.permissions, as to a login without them
    org_usage_cursor=False,   # the organisation's query answers with cursors.after, as a result with more pages would
    create_lag_reads=0,       # GETs by id of a new client that still answer 404, as the real API may right after a create
    strict=False,             # refuse request bodies with fields or types their SDK request model does not have
    added_enum_values={},     # enum values the emulated API has added since the SDK, e.g. {"authorizedGrantType": ["X"]}
    added_client_fields={},   # client fields the emulated API has added since the SDK, name -> type, e.g.
                              # {"allowedIpAddresses": "list[str]"}: stored, returned, accepted in strict mode
    request_delay=0.0,        # seconds added to every API request, as a WAN round trip would (benchmarks)
    tokens_me='client',       # GET /api/v2/tokens/me: 'client' (with the token's client), 'no_client' or 'forbidden' (403)
)
TEST_PREFIX = '/__emulator'


RATE_LIMITED = 429


def rate_limited(wait):
    """The 429 of the real API, as Genesys has normalised it since 2021: a Retry-After of wait seconds, which its message
    repeats in brackets. Every 429 the emulator answers is this one (Handler._send_error writes its body)."""
    return ApiError(RATE_LIMITED, RATE_LIMIT_CODE, RATE_LIMIT_MESSAGE % wait, {'Retry-After': wait})


class Faults:
    """Injected failures: each matches a method and a path regex, answers a status (or only delays) count times.

    body: send this answer instead (a string as it is, with status or 200). lose_response: do the request's work
    first, then answer the status or the body, as a gateway that fails after the backend acted.
    drip: seconds between the bytes of the answer's body (the routed answer, or the fault's status or body): the
    headers go out at once, then one byte every drip seconds, as a slow or hostile proxy may send an answer. A client
    that gives up mid-answer (closes the connection) ends the drip; the emulator serves on.
    A 429 is always Genesys' normalised one (rate_limited): its code and message cannot be chosen, its retry_after
    (default 1) is the wait it asks for.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, spec):
        fault = dict(method=None, path='.*', status=None, count=1, after=0, delay=0, retry_after=None, code=None,
                     message=None, body=None, lose_response=False, drip=0)
        fault.update(spec)
        re.compile(fault['path'])
        if fault['status'] is not None:
            fault['status'] = int(fault['status'])
        if fault['status'] == RATE_LIMITED and (fault['code'] or fault['message']):
            raise bad_request('a 429 fault answers the normalised 429 of the real API: its code and message are '
                              'fixed, give only retry_after (the seconds it asks to wait)')
        with self.lock:
            self.items.append(fault)

    def clear(self):
        with self.lock:
            self.items = []

    def take(self, method, path):
        with self.lock:
            for fault in self.items:
                if (fault['method'] in (None, method)) and re.search(fault['path'], path):
                    if fault['after'] > 0:
                        fault['after'] -= 1
                        continue
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        self.items.remove(fault)
                    return fault
        return None


class RateLimiter:
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = {}

    def clear(self):
        with self.lock:
            self.calls = {}

    def check(self, key, limit, window):
        """Seconds to wait when key is over its limit, else None (and the call is counted)."""
        now = time.time()
        with self.lock:
            calls = self.calls.setdefault(key, deque())
            while calls and calls[0] <= now - window:
                calls.popleft()
            if len(calls) >= limit:
                return max(1, math.ceil(calls[0] + window - now))
            calls.append(now)
            return None


class Emulator:
    """A running emulator: start() serves in a thread, url is where, stop() ends it."""

    def __init__(self, host='127.0.0.1', port=0, tls_cert=None, tls_key=None, **config):
        self.initial_config = dict(DEFAULT_CONFIG, **config)
        self.config = dict(self.initial_config)
        self.store = Store(self.config)
        self.faults = Faults()
        self.usage = UsageQueries()
        self.rate_limiter = RateLimiter()
        self.log_lock = threading.Lock()
        self.request_log = []
        self.usage_record = []
        self.httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self.httpd.daemon_threads = True
        self.scheme = 'http'
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = 'https'
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return '%s://%s:%d' % (self.scheme, host, port)

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs=dict(poll_interval=0.05), daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        self.httpd.serve_forever()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        self.config.clear()
        self.config.update(self.initial_config)
        self.store.reset()
        self.faults.clear()
        self.usage.clear()
        self.rate_limiter.clear()
        with self.log_lock:
            self.request_log = []
            self.usage_record = []

    def usage_snapshot(self):
        with self.log_lock:
            return list(self.usage_record)

    def log(self, entry):
        """Record a request in the request log (which tests clear) and in the usage record (which only reset clears)."""
        with self.log_lock:
            entry['seq'] = len(self.request_log) + 1
            self.request_log.append(entry)
            self.usage_record.append(entry)


def _listing(entities, path, query, config):
    """A Genesys entity listing page with pageSize/pageNumber and the URIs around it."""
    try:
        page_size = int(query.get('pageSize', config['page_size']))
        page_number = int(query.get('pageNumber', 1))
    except ValueError:
        raise bad_request('pageSize and pageNumber must be integers.')
    if page_size < 1 or page_number < 1:
        raise bad_request('pageSize and pageNumber must be 1 or more.')
    page_size = min(page_size, int(config['max_page_size']))
    total = len(entities)
    page_count = max(1, math.ceil(total / page_size))

    # Filters (name) go on into every page's URI, as the real API's nextUri keeps them.
    filters = {key: value for key, value in query.items() if key not in ('pageSize', 'pageNumber')}

    def uri(number):
        return '%s?%s' % (path, urlencode(dict(filters, pageSize=page_size, pageNumber=number)))

    body = dict(entities=entities[(page_number - 1) * page_size:page_number * page_size], pageSize=page_size,
                pageNumber=page_number, total=total, pageCount=page_count, firstUri=uri(1), selfUri=uri(page_number),
                lastUri=uri(page_count))
    if page_number < page_count:
        body['nextUri'] = uri(page_number + 1)
    if page_number > 1:
        body['previousUri'] = uri(page_number - 1)
    return body


def _template_regex(template):
    """/a/{id}/b -> a regex with a named group per placeholder."""
    parts = re.split(r'{(\w+)}', template)
    return re.compile(''.join(re.escape(part) if index % 2 == 0 else '(?P<%s>[^/]+)' % part
                              for index, part in enumerate(parts)) + '$')


def _handler_for(emulator):
    store = emulator.store

    config = emulator.config

    def listing(entities, path):
        return lambda h, m: (200, _listing(entities(), path, h.query, config))

    def named_listing(entities, path):
        """A listing with the name filter, a search term as the SDK calls it: read loosely here, as a
        case-insensitive substring, so that callers must pick exact names themselves."""
        def answer(handler, _match):
            term = handler.query.get('name', '').lower()
            return 200, _listing([e for e in entities() if term in e['name'].lower()], path, handler.query, config)
        return answer

    def usage_summary(handler, match):
        days = handler.query.get('days', '7')
        if not re.match(r'^[0-9]+$', days) or int(days) < 1:
            raise bad_request('days must be a whole number of days, 1 or more.', 'invalid.value')
        end = datetime.now(timezone.utc)
        interval = '%s/%s' % ((end - timedelta(days=int(days))).isoformat(), (end + timedelta(seconds=1)).isoformat())
        return 200, emulator.usage.submit(store.get_client(match['clientId']), dict(interval=interval), config)

    def org_usage(answer):
        """An organisation's usage endpoint: refused (403) while org_usage_forbidden is on."""
        def guarded(handler, match):
            forbidden_unless(config)
            return answer(handler, match)
        return guarded

    clients = '/api/v2/oauth/clients'
    one = clients + '/{clientId}'
    # (method, template URI, action): the template is what the request log and usage rows report.
    api_routes = [
        ('GET', clients, listing(store.list_clients, clients)),
        ('POST', clients, lambda h, m: (200, store.create_client(h.json_body(), h.caller))),
        ('GET', one, lambda h, m: (200, store.get_client(m['clientId']))),
        ('PUT', one, lambda h, m: (200, store.update_client(m['clientId'], h.json_body(), h.caller))),
        ('DELETE', one, lambda h, m: (204, store.delete_client(m['clientId']))),
        ('POST', one + '/secret', lambda h, m: (200, store.regenerate_secret(m['clientId'], h.caller))),
        ('POST', one + '/usage/query', lambda h, m: (
            202, emulator.usage.submit(store.get_client(m['clientId']), h.json_body(), config))),
        ('GET', one + '/usage/query/results/{executionId}', lambda h, m: (200, emulator.usage.result(
            m['clientId'], m['executionId'], emulator.usage_snapshot(), ORGANIZATION_ID, {}))),
        ('GET', one + '/usage/summary', usage_summary),
        ('POST', ORG_QUERY_PATH, org_usage(lambda h, m: (
            202, emulator.usage.submit_org(h.json_body(), config)))),
        ('GET', ORG_QUERY_PATH + '/{executionId}/results', org_usage(lambda h, m: (
            200, emulator.usage.result(None, m['executionId'], emulator.usage_snapshot(), ORGANIZATION_ID,
                                       store.client_names())))),
        ('POST', JOBS_PATH, org_usage(lambda h, m: (
            202, emulator.usage.submit_job(h.json_body(), config)))),
        ('GET', JOBS_PATH + '/{jobId}', org_usage(lambda h, m: (
            200, emulator.usage.job_result(m['jobId'], h.query, emulator.usage_snapshot(), store.client_names())))),
        ('GET', '/api/v2/oauth/scopes', lambda h, m: (200, store.list_scopes(h.headers.get('Accept-Language')))),
        ('GET', '/api/v2/oauth/scopes/{scopeId}', lambda h, m: (
            200, store.scope(m['scopeId'], h.headers.get('Accept-Language')))),
        ('GET', '/api/v2/oauth/authorizations', lambda h, m: (
            200, store.list_authorizations(h.headers.get('Accept-Language')))),
        ('GET', '/api/v2/oauth/authorizations/{clientId}', lambda h, m: (
            200, store.authorization(m['clientId'], h.headers.get('Accept-Language')))),
        ('GET', '/api/v2/integrations/credentials', listing(store.list_credentials, '/api/v2/integrations/credentials')),
        ('POST', '/api/v2/integrations/credentials', lambda h, m: (200, store.create_credential(h.json_body()))),
        ('GET', '/api/v2/integrations/credentials/{credentialId}', lambda h, m: (
            200, store.get_credential(m['credentialId']))),
        ('PUT', '/api/v2/integrations/credentials/{credentialId}', lambda h, m: (
            200, store.update_credential(m['credentialId'], h.json_body()))),
        ('DELETE', '/api/v2/integrations/credentials/{credentialId}', lambda h, m: (
            204, store.delete_credential(m['credentialId']))),
        ('GET', '/api/v2/authorization/divisions/home', lambda h, m: (200, store.home_division())),
        ('GET', '/api/v2/authorization/divisions', named_listing(store.list_divisions, '/api/v2/authorization/divisions')),
        ('GET', '/api/v2/authorization/roles', named_listing(store.list_roles, '/api/v2/authorization/roles')),
        ('GET', '/api/v2/authorization/divisions/{divisionId}', lambda h, m: (
            200, store.get_named('divisions', m['divisionId']))),
        ('GET', '/api/v2/authorization/roles/{roleId}', lambda h, m: (200, store.get_named('roles', m['roleId']))),
        ('GET', '/api/v2/tokens/me', lambda h, m: (200, store.token_info(h.caller))),
    ]
    routes = [(method, template, _template_regex(template), action) for method, template, action in api_routes]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        server_version = 'GenesysCloudEmulator/0.1'

        def log_message(self, format, *args):  # pylint: disable=redefined-builtin
            pass  # the request log is the record; stderr stays quiet

        def _read_body(self):
            length = int(self.headers.get('Content-Length') or 0)
            self.raw_body = self.rfile.read(length) if length else b''

        def json_body(self):
            try:
                return json.loads(self.raw_body or b'null')
            except ValueError:
                raise bad_request('The request body is not valid JSON.')

        def _send(self, status, body=None, headers=None):
            payload = b'' if body is None or status == 204 else json.dumps(body).encode('utf-8')
            self._log_api_request(status)
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(payload)))
            self.send_header('ININ-Correlation-Id', self.correlation_id)
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self._write_body(payload)

        def _write_body(self, payload):
            if not self.drip:
                if payload:
                    self.wfile.write(payload)
                return
            try:
                self.wfile.flush()
                for index in range(len(payload)):
                    time.sleep(self.drip)
                    self.wfile.write(payload[index:index + 1])
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up on the answer

        def _send_raw(self, status, text):
            payload = text.encode('utf-8')
            self._log_api_request(status)
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(payload)))
            self.send_header('ININ-Correlation-Id', self.correlation_id)
            self.end_headers()
            self._write_body(payload)

        def _send_error(self, status, code, message, headers=None):
            if status == RATE_LIMITED:
                # The normalised 429 has these fields only, on the login as on the API (the login's own 429 is not
                # documented; the modules read either shape).
                body = dict(message=message, code=code, status=status, contextId=self.correlation_id, details=[],
                            errors=[])
            elif self.path_only == '/oauth/token':
                body = dict(error=code, description=message, error_description=message)
            else:
                body = dict(message=message, code=code, status=status, messageWithParams=message, messageParams={},
                            contextId=self.correlation_id, details=[], errors=[])
            self._send(status, body, headers)

        def _dispatch(self, method):
            self.correlation_id = str(uuid.uuid4())
            self.drip = 0.0
            parts = urlsplit(self.path)
            self.path_only = parts.path
            self.query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            self.caller = None
            self.template_uri = None
            self.api_call = None
            self._read_body()
            if self.path_only.startswith(TEST_PREFIX):
                try:
                    return self._test_endpoint(method)
                except ApiError as exc:
                    return self._send(exc.status, dict(message=exc.message))
            self.api_call = dict(method=method, time=time.time())
            if emulator.config['request_delay']:
                time.sleep(float(emulator.config['request_delay']))
            try:
                self._api(method)
            except ApiError as exc:
                self._send_error(exc.status, exc.code, exc.message, exc.headers)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                self._send_error(500, 'internal.server.error', 'Emulator error: %s' % exc)

        def _log_api_request(self, status):
            """Log an API request before its answer goes out, so a client that has the answer finds it logged."""
            if self.api_call is None:
                return
            call, self.api_call = self.api_call, None
            emulator.log(dict(method=call['method'], path=self.path_only, query=self.query, status=status,
                              client_id=self.caller, time=call['time'], body=self._logged_body(),
                              user_agent=self.headers.get('User-Agent'), template_uri=self.template_uri))

        def _logged_body(self):
            if self.path_only == '/oauth/token' or not self.raw_body:
                return None
            try:
                return json.loads(self.raw_body)
            except ValueError:
                return None

        def _api(self, method):
            fault = emulator.faults.take(method, self.path_only)
            if fault:
                if fault['delay']:
                    time.sleep(float(fault['delay']))
                self.drip = float(fault['drip'] or 0)
                if fault['lose_response'] and (fault['status'] or fault['body'] is not None):
                    # A gateway that fails after the backend did the work: the change happens, its answer is lost
                    # (an error status instead, or with body, that body: a 2xx the client cannot read).
                    self._route(method, send=False)
                if fault['body'] is not None:
                    # An answer the API should not give (no JSON, no id, null): a string is sent as it is.
                    body = fault['body'] if isinstance(fault['body'], str) else json.dumps(fault['body'])
                    return self._send_raw(int(fault['status'] or 200), body)
                if fault['status'] == RATE_LIMITED:
                    raise rate_limited(1 if fault['retry_after'] is None else fault['retry_after'])
                if fault['status']:
                    headers = {} if fault['retry_after'] is None else {'Retry-After': fault['retry_after']}
                    raise ApiError(int(fault['status']), fault['code'] or 'injected.fault',
                                   fault['message'] or 'Injected fault', headers)
            return self._route(method)

        def _route(self, method, send=True):
            if self.path_only == '/oauth/token' and method == 'POST':
                return self._token()
            self.caller = store.client_for_token(self._bearer_token())
            wait = emulator.rate_limiter.check(self.caller_token, int(emulator.config['rate_limit']),
                                               float(emulator.config['rate_limit_window']))
            if wait is not None:
                raise rate_limited(wait)
            for route_method, template, pattern, action in routes:
                match = pattern.match(self.path_only)
                if match and route_method == method:
                    self.template_uri = template
                    status, body = action(self, {key: unquote(value) for key, value in match.groupdict().items()})
                    return self._send(status, body) if send else None
            raise ApiError(404, 'not.found', 'The requested resource %s %s was not found.' % (method, self.path_only))

        def _bearer_token(self):
            header = self.headers.get('Authorization') or ''
            self.caller_token = header[7:].strip() if header.lower().startswith('bearer ') else ''
            return self.caller_token

        def _token(self):
            header = self.headers.get('Authorization') or ''
            form = {key: values[-1] for key, values in parse_qs(self.raw_body.decode('utf-8', 'replace')).items()}
            if form.get('grant_type') != 'client_credentials':
                raise ApiError(400, 'unsupported_grant_type', 'grant_type must be client_credentials')
            try:
                client_id, client_secret = base64.b64decode(header[6:]).decode('utf-8').split(':', 1)
            except (binascii.Error, UnicodeDecodeError, ValueError):
                raise ApiError(401, 'invalid_client', 'HTTP Basic client authentication is required')
            self.caller = client_id
            self._send(200, store.issue_token(client_id, client_secret))

        def _test_endpoint(self, method):
            path = self.path_only[len(TEST_PREFIX):]
            body = self.json_body() or {}
            if path == '/health':
                return self._send(200, dict(status='ok'))
            if path == '/requests' and method == 'GET':
                with emulator.log_lock:
                    # ?all=1: everything since the last reset, whatever clearing of the log happened since
                    log = emulator.usage_record if self.query.get('all') else emulator.request_log
                    return self._send(200, dict(requests=list(log)))
            if path == '/requests' and method == 'DELETE':
                with emulator.log_lock:
                    emulator.request_log = []
                return self._send(204)
            if path == '/reset' and method == 'POST':
                emulator.reset()
                return self._send(204)
            if path == '/config' and method == 'GET':
                return self._send(200, emulator.config)
            if path == '/config' and method in ('POST', 'PUT'):
                unknown = sorted(set(body) - set(DEFAULT_CONFIG))
                if unknown:
                    return self._send(400, dict(message='unknown config keys: %s' % ', '.join(unknown)))
                problem = added_fields_problem(body['added_client_fields']) if 'added_client_fields' in body else None
                if problem:
                    return self._send(400, dict(message=problem))
                emulator.config.update(body)
                return self._send(200, emulator.config)
            if path == '/faults' and method == 'POST':
                emulator.faults.add(body)
                return self._send(204)
            if path == '/faults' and method == 'DELETE':
                emulator.faults.clear()
                return self._send(204)
            if path in ('/roles', '/divisions') and method == 'POST':
                return self._send(200, store.add_named(path[1:], body))
            if path == '/clients' and method == 'POST':
                return self._send(200, store.add_raw_client(body))
            if path == '/authorizations' and method == 'POST':
                return self._send(200, store.add_authorization(body))
            match = re.match(r'^/credentials/([^/]+)/fields$', path)
            if match and method == 'GET':
                return self._send(200, store.credential_fields(match.group(1)))
            match = re.match(r'^/clients/([^/]+)/secret$', path)
            if match and method == 'GET':
                return self._send(200, dict(secret=store.client_secret(match.group(1))))
            if path == '/secrets' and method == 'GET':
                with store.lock:
                    return self._send(200, dict(secrets=list(store.issued_secrets)))
            if path == '/tokens/expire' and method == 'POST':
                return self._send(200, dict(expired=store.expire_tokens()))
            return self._send(404, dict(message='no test endpoint %s %s' % (method, self.path_only)))

        def do_GET(self):
            self._dispatch('GET')

        def do_POST(self):
            self._dispatch('POST')

        def do_PUT(self):
            self._dispatch('PUT')

        def do_DELETE(self):
            self._dispatch('DELETE')

        def do_PATCH(self):
            self._dispatch('PATCH')

    return Handler
