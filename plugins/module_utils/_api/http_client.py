# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client every module uses: login, retries, paging and Genesys error bodies.

Plain Python with no Ansible imports, so it is easy to test and to reuse.
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import random
import socket
import ssl
import threading
import time
import traceback
from datetime import datetime, timezone
from urllib.parse import quote, urljoin, urlsplit

from .errors import GenesysApiError, GenesysError
from .version import COLLECTION_NAME, COLLECTION_VERSION

try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

HAS_REQUESTS = requests is not None

USER_AGENT = '%s/%s (Ansible collection)' % (COLLECTION_NAME, COLLECTION_VERSION)

# Methods that may be sent again after a transient failure without risking a second effect.
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'))
WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
TRANSIENT_STATUSES = frozenset((502, 503, 504))
TOO_MANY_REQUESTS = 429

# A token is renewed this many seconds before the API would start refusing it.
TOKEN_EXPIRY_MARGIN = 60

# A listing longer than this many pages is taken for a paging loop, not an organisation (100,000 clients at 100 a page).
MAX_PAGES = 1000

# Pauses between the GETs of an entity that answers 404 right after it was created (capped exponential).
NOT_FOUND_FIRST_PAUSE = 0.25
NOT_FOUND_MAX_PAUSE = 2.0

DEFAULT_PORTS = dict(http=80, https=443)

# Redirects: only these carry a Location to follow; a read follows at most MAX_REDIRECTS of them, on its own origin.
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
READ_METHODS = frozenset(('GET', 'HEAD'))
MAX_REDIRECTS = 5

# The text of the timeout raised when a request's whole answer did not come within its timeout (ApiClient._exchange).
ANSWER_DEADLINE_MISSED = 'no complete answer within the timeout'


DOT_SEGMENTS = ('.', '..')


def entity_path(collection_path, entity_id):
    """The path of one entity of a collection, its id escaped as one path segment.

    '.' and '..' cannot be sent at all: a URL takes them for this or the parent folder, and requests turns
    an escaped %2E back into a dot. GenesysModule refuses them as ids before this is reached.
    """
    if entity_id in DOT_SEGMENTS:
        raise GenesysError('%r cannot be the id of an entity of %s' % (entity_id, collection_path))
    return '%s/%s' % (collection_path, quote(entity_id, safe=''))


def origin_of(url):
    """(scheme, host, port) of an absolute URL, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or '').lower(), parts.port or DEFAULT_PORTS.get(scheme)


def require_field(body, key, method, path):
    """body[key] of an API answer; an answer without it is a GenesysApiError, never a KeyError or TypeError."""
    value = body.get(key) if isinstance(body, dict) else None
    if value is None or value == '':
        raise GenesysApiError('the API answer has no %s' % key, method=method, path=path)
    return value


def _causes(exc):
    """exc and every exception behind it (its cause, its context, exceptions among its args)."""
    seen, pending = [], [exc]
    while pending and len(seen) < 20:
        current = pending.pop()
        if not isinstance(current, BaseException) or any(current is known for known in seen):
            continue
        seen.append(current)
        pending.extend([current.__cause__, current.__context__] + list(current.args))
    return seen


def is_transient(exc):
    """Whether a failure to get any answer may pass on a retry: a refused or dropped connection, a timeout.

    Never: a TLS failure (an untrusted certificate, http spoken to an https port and the reverse), an answer
    that is not HTTP, a URL or header that cannot be sent.
    """
    causes = _causes(exc)
    if any(isinstance(cause, (ssl.SSLError, ssl.CertificateError)) for cause in causes):
        return False
    if any(isinstance(cause, http.client.BadStatusLine) and not isinstance(cause, http.client.RemoteDisconnected)
           for cause in causes):
        return False
    return isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout))


def describe_transport_error(exc):
    """What went wrong without an answer, said by its root cause, with the fix when there is an obvious one."""
    causes = _causes(exc)
    # The root cause reads best; the wrappers of requests and urllib3 around it only repeat the URL.
    root_kinds = (ssl.SSLError, ssl.CertificateError, http.client.HTTPException, OSError)
    root = next((cause for cause in causes if isinstance(cause, root_kinds)
                 and not isinstance(cause, requests.exceptions.RequestException)), exc)
    if any(isinstance(cause, ssl.SSLCertVerificationError) for cause in causes):
        return ('TLS certificate verification failed (%s); give your CA bundle in ca_path, '
                'or set validate_certs=false' % root)
    if any(isinstance(cause, ssl.SSLError) for cause in causes):
        return 'TLS failed (%s); does the URL use the scheme (http or https) the server speaks?' % root
    if any(isinstance(cause, http.client.BadStatusLine) and not isinstance(cause, http.client.RemoteDisconnected)
           for cause in causes):
        return 'the server did not answer in HTTP (%r); is this an https server reached with http://?' % root
    if isinstance(exc, UnicodeError):
        return 'a header value is not latin-1 text (%s)' % exc
    return str(root)


def error_from_response(response, method, path, retries=0):
    """Build a GenesysApiError from an API or login error response."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    # API errors carry message/code/contextId; login errors are OAuth style (error, description).
    message = (body.get('message') or body.get('error_description') or body.get('description')
               or body.get('error') or response.reason or 'HTTP %s' % response.status_code)
    return GenesysApiError(
        message=message,
        status=response.status_code,
        code=body.get('code') or body.get('error'),
        context_id=body.get('contextId') or response.headers.get('ININ-Correlation-Id'),
        method=method,
        path=path,
        retries=retries,
    )


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def parse_instant(text):
    """An ISO-8601 time as the API and the options write it (Z for UTC), aware: one without an offset is taken for
    UTC. Raises ValueError when text is no such time."""
    value = datetime.fromisoformat(str(text).strip().replace('Z', '+00:00'))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class RetryPolicy:
    """How often and how long one request may wait on 429 and transient failures."""

    def __init__(self, max_retries=5, max_wait=120.0, backoff_base=1.0, backoff_max=30.0):
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max

    def delay(self, attempt, retry_after=None):
        """Seconds before retry number attempt+1: the server's Retry-After, else capped exponential backoff with jitter."""
        if retry_after is not None:
            return retry_after
        backoff = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return backoff * random.uniform(0.5, 1.0)

    def allows(self, attempt, waited, delay):
        return attempt < self.max_retries and waited + delay <= self.max_wait


class RetryCount:
    """The retries of a run, reported in every module result as api_retries: how many requests were sent again, how
    many times in all, how many 429 answers (rate limited) came, and the seconds waited before the retries. A count
    that grows from run to run tells a scheduled job's owner that the organisation's rate budget is getting tight,
    before a run fails. Shared by an ApiClient and the clients it makes for other credentials; safe across threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.rate_limited = 0
        self.seconds_waited = 0.0

    def answered(self, status):
        if status == TOO_MANY_REQUESTS:
            with self._lock:
                self.rate_limited += 1

    def waited(self, seconds, first):
        """A request is sent again after seconds of waiting; first: its first retry."""
        with self._lock:
            self.requests += 1 if first else 0
            self.retries += 1
            self.seconds_waited += seconds

    def as_result(self):
        with self._lock:
            return dict(requests=self.requests, retries=self.retries, rate_limited=self.rate_limited,
                        seconds_waited=round(self.seconds_waited, 3))

    def summary(self):
        """The count in words ('' when nothing was retried), for a warning."""
        count = self.as_result()
        if not count['requests']:
            return ''
        return ('retried %s %s (429 Too Many Requests: %s), waiting %g s in all%s'
                % (_counted(count['requests'], 'request'), _counted(count['retries'], 'time'),
                   _counted(count['rate_limited'], 'answer'), count['seconds_waited'],
                   ': the rate budget of the login is getting tight' if count['rate_limited'] else ''))


def _counted(number, noun):
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


class ApiClient:
    """A logged-in session against one Genesys Cloud organisation.

    changes lists the writes that succeeded ('PUT /api/v2/...'), so a module that fails half-way can say
    truthfully what it changed. retried counts the retries (RetryCount).
    """

    def __init__(self, api_base, login_base, client_id=None, client_secret=None, access_token=None,
                 timeout=30, validate_certs=True, ca_path=None, retry=None, not_found_wait=0.0,
                 sleep=time.sleep, clock=time.monotonic, retried=None):
        if not HAS_REQUESTS:
            raise GenesysError('the requests library is required')
        self.api_base = api_base.rstrip('/')
        self.login_base = login_base.rstrip('/')
        self.client_id = client_id
        self._client_secret = client_secret
        self._access_token = access_token
        self._token_expires_at = None
        self.timeout = timeout
        # Given with every request: a session-wide verify loses to REQUESTS_CA_BUNDLE from the environment.
        self.verify = (ca_path or True) if validate_certs else False
        self.retry = retry or RetryPolicy()
        self.not_found_wait = not_found_wait
        self._sleep = sleep
        self._clock = clock
        self.changes = []
        self.retried = retried or RetryCount()
        self.session = requests.Session()
        self.session.headers['User-Agent'] = '%s %s' % (USER_AGENT, requests.utils.default_user_agent())
        self.session.headers['Accept'] = 'application/json'

    def now(self):
        """The client's clock (monotonic seconds), for waits that must agree with its own."""
        return self._clock()

    def pause(self, seconds):
        self._sleep(seconds)

    @property
    def can_login(self):
        return bool(self.client_id and self._client_secret)

    def login(self):
        """Get a token with the client-credentials grant; it is kept for the rest of the run and returned
        (access_token, expires_in) for the access_token module."""
        path = '/oauth/token'
        basic = base64.b64encode(('%s:%s' % (self.client_id, self._client_secret)).encode('utf-8')).decode('ascii')
        response = self._send('POST', self.login_base + path, path, idempotent=True,
                              headers={'Authorization': 'Basic ' + basic},
                              data={'grant_type': 'client_credentials'})
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get('access_token'), str) or not body['access_token']:
            raise GenesysApiError('the login answer has no access_token; is the login URL %s right?'
                                  % self.login_base, status=response.status_code, method='POST', path=path)
        self._access_token = body['access_token']
        try:
            lifetime = int(body.get('expires_in'))
        except (TypeError, ValueError, OverflowError):  # absent, not a number, or 1e400
            lifetime = None
            self._token_expires_at = None
        else:
            # Renew a little early, but never so early that a short-lived token is renewed on every request.
            self._token_expires_at = self._clock() + lifetime - min(TOKEN_EXPIRY_MARGIN, lifetime // 2)
        return dict(access_token=self._access_token, expires_in=lifetime)

    def for_credentials(self, client_id, client_secret):
        """A new client for the same API and settings that logs in with other client credentials."""
        clone = ApiClient(self.api_base, self.login_base, client_id=client_id, client_secret=client_secret,
                          timeout=self.timeout, retry=self.retry, not_found_wait=self.not_found_wait,
                          sleep=self._sleep, clock=self._clock, retried=self.retried)
        clone.verify = self.verify
        return clone

    def use_credentials(self, client_id, client_secret):
        """Log in as another client from now on (after the current client's secret was rotated)."""
        self.client_id = client_id
        self._client_secret = client_secret
        self._access_token = None

    def _bearer(self):
        expired = self._token_expires_at is not None and self._clock() >= self._token_expires_at
        if self.can_login and (self._access_token is None or expired):
            self.login()
        return 'Bearer %s' % self._access_token

    def url_for(self, path):
        """The URL of an API path. An absolute URL must be on the API's own origin: the token goes with it."""
        if urlsplit(path).scheme:
            if origin_of(path) != origin_of(self.api_base):
                raise GenesysApiError('the API pointed to %s, which is not on the API\'s own origin %s; refusing to '
                                      'send the token there' % (path.split('?')[0], self.api_base), path=path,
                                      refused='nothing sent there')
            return path
        return urljoin(self.api_base + '/', path.lstrip('/'))

    def request(self, method, path, body=None, params=None, headers=None, changes=None):
        """Send an API request and return the decoded JSON body (None when empty).

        changes: whether a success changes something (default: for POST, PUT, PATCH and DELETE).
        """
        response = self._send(method, self.url_for(path), path, idempotent=method in IDEMPOTENT_METHODS,
                              authenticated=True, headers=headers, json=body, params=params)
        if method in WRITE_METHODS if changes is None else changes:
            self.changes.append('%s %s' % (method, path))
        if not response.content:
            if method == 'GET':
                # A read always answers a body: an empty one must not read as "none" (a client not found).
                raise GenesysApiError('malformed API answer: the answer is empty', status=response.status_code,
                                      method=method, path=path)
            return None
        try:
            body = response.json()
        except ValueError:
            raise GenesysApiError('the API answered with a body that is not JSON', status=response.status_code,
                                  method=method, path=path)
        # Every answer the collection reads is a JSON object: as an Answer, its fields are read type-checked.
        return as_answer(body, method, path, response.status_code)

    def get(self, path, params=None, headers=None):
        return self.request('GET', path, params=params, headers=headers)

    def get_or_none(self, path, params=None, headers=None, not_found_wait=0.0):
        """GET that answers None for 404 instead of failing.

        not_found_wait: seconds to keep asking while the answer is 404, for an entity the API may not know yet.
        """
        deadline = self._clock() + not_found_wait
        pause = NOT_FOUND_FIRST_PAUSE
        while True:
            try:
                return self.get(path, params=params, headers=headers)
            except GenesysApiError as exc:
                if exc.status != 404:
                    raise
            left = deadline - self._clock()
            if left <= 0:
                return None
            self._sleep(min(pause, left))
            pause = min(pause * 2, NOT_FOUND_MAX_PAUSE)

    def post(self, path, body=None, params=None, headers=None, changes=None):
        return self.request('POST', path, body=body, params=params, headers=headers, changes=changes)

    def put(self, path, body=None, headers=None):
        return self.request('PUT', path, body=body, headers=headers)

    def delete(self, path, headers=None):
        return self.request('DELETE', path, headers=headers)

    def paginate(self, path, params=None, page_size=100, headers=None, max_pages=MAX_PAGES):
        """Yield the entities of a listing once each (by id), following nextUri; each is an Answer (entities[N]).

        The walk ends at a page without nextUri, an empty page, the last page by pageCount, or a nextUri seen
        before; a listing longer than max_pages is an error rather than an endless walk. A page whose entities are
        not a list of objects, or whose nextUri or an entity's id is not a string, is a malformed answer.
        page_size=None sends no pageSize, for listings that do not page (scopes, authorizations).
        """
        query = dict(params or {})
        if page_size:
            query.setdefault('pageSize', page_size)
        page = self.get(path, params=query or None, headers=headers)
        seen_ids, seen_uris, pages = set(), set(), 1
        while True:
            if page is None:
                return
            entities = page.objects('entities')
            for entity in entities:
                entity_id = entity.text('id')
                if entity_id is not None:
                    if entity_id in seen_ids:
                        continue  # an entity created during the walk shifts the pages: it is met twice
                    seen_ids.add(entity_id)
                yield entity
            next_uri = page.text('nextUri')
            number, count = page.get('pageNumber'), page.get('pageCount')
            if (not next_uri or not entities or next_uri in seen_uris
                    or (isinstance(number, int) and isinstance(count, int) and number >= count)):
                return
            if pages >= max_pages:
                raise GenesysApiError('the listing has more than %d pages; stopped following nextUri' % max_pages,
                                      method='GET', path=path, refused='page %d not requested' % (pages + 1))
            seen_uris.add(next_uri)
            pages += 1
            page = self.get(next_uri, headers=headers)

    def _send(self, method, url, path, idempotent, authenticated=False, headers=None, **kwargs):
        """One request with the retry rules: 401 -> one new login; 429 -> wait Retry-After;
        502/503/504, dropped connections and timeouts -> backoff, for idempotent requests only.
        A failure that cannot pass (TLS, a bad URL or header) is never retried. Redirects: see _redirect_target."""
        attempt = 0
        waited = 0.0
        logged_in_again = False
        redirects = 0
        while True:
            send_headers = dict(headers or {})
            if authenticated:
                send_headers['Authorization'] = self._bearer()
            try:
                response = self._exchange(method, url, headers=send_headers, **kwargs)
            except (requests.exceptions.RequestException, UnicodeError) as exc:
                delay = self.retry.delay(attempt)
                if idempotent and is_transient(exc) and self.retry.allows(attempt, waited, delay):
                    self._wait_to_retry(delay, attempt)
                    waited += delay
                    attempt += 1
                    continue
                raise GenesysApiError(self._transport_failure(url, exc), method=method, path=path, retries=attempt)

            if response.status_code == 401 and authenticated and self.can_login and not logged_in_again:
                logged_in_again = True
                self._access_token = None
                continue

            if 300 <= response.status_code < 400:
                url = self._redirect_target(method, url, path, response, redirects)
                redirects += 1
                kwargs.pop('params', None)  # the Location is the whole URL, its query included
                continue

            retryable = (response.status_code == TOO_MANY_REQUESTS
                         or (idempotent and response.status_code in TRANSIENT_STATUSES))
            if retryable:
                self.retried.answered(response.status_code)
                retry_after = parse_retry_after(response.headers.get('Retry-After'))
                delay = self.retry.delay(attempt, retry_after)
                if self.retry.allows(attempt, waited, delay):
                    self._wait_to_retry(delay, attempt)
                    waited += delay
                    attempt += 1
                    continue
                error = error_from_response(response, method, path, retries=attempt)
                error.message += self._no_retry_reason(attempt, waited, delay, retry_after, response.status_code)
                raise error

            if response.status_code >= 400:
                raise error_from_response(response, method, path, retries=attempt)
            return response

    def _wait_to_retry(self, delay, attempt):
        self._sleep(delay)
        self.retried.waited(delay, first=attempt == 0)

    def _no_retry_reason(self, attempt, waited, delay, retry_after, status):
        """What ends a request whose answer may pass on a retry (429, 502-504): the wait the API asked for (or the
        backoff's), max_retry_wait, and which was refused, the wait or one retry more than max_retries. The error's
        own text adds Genesys' message before it, and the status and the correlation id after it."""
        exhausted = attempt >= self.retry.max_retries
        asked = ('the API asked to wait %g s%s (Retry-After)' % (retry_after, ' more' if exhausted and attempt else '')
                 if retry_after is not None else 'the next retry would wait %g s' % round(delay, 1))
        spent = ' after %g s of waiting' % round(waited, 3) if waited else ''
        if not exhausted:
            # Refused for the length of the wait, not for the number of retries: say so, and how to allow it.
            return ('; %s%s, over max_retry_wait (%g s), so no retry was made: raise max_retry_wait (for example in '
                    'module_defaults) to wait that long' % (asked, spent, self.retry.max_wait))
        if not attempt:
            return '; %s, max_retry_wait is %g s, but max_retries is 0: no retry was made' % (asked, self.retry.max_wait)
        advice = 'send fewer requests, or raise max_retries' if status == TOO_MANY_REQUESTS else 'raise max_retries'
        return ('; max_retries (%d) spent%s (max_retry_wait %g s), and %s: %s'
                % (self.retry.max_retries, spent, self.retry.max_wait, asked, advice))

    def _exchange(self, method, url, **kwargs):
        """One HTTP exchange, its whole answer read within self.timeout seconds: a deadline, not a bound on each read.

        requests' timeout bounds each socket read, so an answer that drips in a byte at a time would hold the task
        for ever. The exchange runs in a daemon thread, waited for until the deadline; one that misses it is left
        behind (it ends at its own read timeout, when the server stops, or with the process) and counts as a timeout.
        Redirects are never followed by requests (it would send a 307's body to any host): _send decides.
        """
        outcome = {}

        def exchange():
            try:
                outcome['response'] = self.session.request(method, url, timeout=self.timeout, verify=self.verify,
                                                           allow_redirects=False, **kwargs)
            except BaseException as exc:  # pylint: disable=broad-exception-caught  # raised again in the caller
                outcome['error'] = exc

        worker = threading.Thread(target=exchange, name='genesys.cloud %s' % method, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise requests.exceptions.ReadTimeout(ANSWER_DEADLINE_MISSED)
        if 'error' in outcome:
            raise outcome['error']
        return outcome['response']

    def _transport_failure(self, url, exc):
        """The message of a request that got no (complete) answer."""
        where = url.split('?')[0]
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return 'could not reach %s: no connection within timeout (%g s)' % (where, self.timeout)
        # A read that timed out while requests read the body comes as a ConnectionError, a socket timeout behind it.
        if any(isinstance(cause, (requests.exceptions.Timeout, socket.timeout)) for cause in _causes(exc)):
            return ('no complete answer from %s within timeout (%g s), which bounds each request from sending it to '
                    'the last byte of its answer; raise timeout if the API (or a proxy on the way) is that slow'
                    % (where, self.timeout))
        return 'could not reach %s: %s' % (where, describe_transport_error(exc))

    def _redirect_target(self, method, url, path, response, redirects):
        """The URL a redirect answer points to, when it may be followed: a read (GET, HEAD), on the origin the request
        went to, at most MAX_REDIRECTS times. Any other redirect fails here, before anything is sent where it points:
        credentials, tokens and bodies go only to the origins the task named."""
        status = response.status_code
        context_id = response.headers.get('ININ-Correlation-Id')
        location = response.headers.get('Location')
        if status not in REDIRECT_STATUSES or not location:
            raise GenesysApiError('the API answered HTTP %s, which is no redirect this collection can follow' % status,
                                  status=status, context_id=context_id, method=method, path=path)
        target = urljoin(url, location.strip())
        if origin_of(target) != origin_of(url):
            why = 'which is on another origin than %s://%s' % urlsplit(url)[:2]
        elif method not in READ_METHODS:
            why = 'and a %s is never sent again to where a redirect points' % method
        elif redirects >= MAX_REDIRECTS:
            why = 'after %d redirects in a row' % MAX_REDIRECTS
        else:
            return target
        # Not `refused`: the request itself reached the API, which may have acted on it (outcome_unknown).
        raise GenesysApiError('the API answered with a redirect to %s, %s: not followed, nothing was sent there'
                              % (target.split('?')[0], why), status=status, context_id=context_id, method=method,
                              path=path)


# Answer shapes. Every JSON object an API answer carries is read through an Answer, so a field of the wrong type (a
# string where the API documents a list, a list where it documents an id) is a GenesysApiError naming the request and
# the field, never a TypeError or AttributeError in whatever code reads the field next. Only types are checked: a
# field the API adds, a value the collection does not know, and null for an unset field are all read as they are.

JSON_TYPES = ((bool, 'a boolean'), ((int, float), 'a number'), (str, 'a string'), (list, 'a list'), (dict, 'an object'))


def json_type(value):
    """The JSON type of a decoded value, as a message says it ('a string', 'a list', ...)."""
    return next((name for kinds, name in JSON_TYPES if isinstance(value, kinds)), 'null' if value is None else 'unknown')


class Answer(dict):
    """A JSON object of an API answer that knows the request it answers (method, path, HTTP status) and its place in
    the answer ('' for the whole answer, 'entities[2]' for a listing's third entity).

    Read its fields with text(), number(), strings(), objects() and object(): each checks the type it returns.
    A plain dict given to as_answer() becomes an Answer that names no request (unit tests, data built locally).
    """

    method = path = status = None
    place = ''

    def _where(self, key):
        return '%s.%s' % (self.place, key) if self.place else key

    def malformed(self, where, problem):
        return GenesysApiError('malformed API answer: %s %s' % (where, problem), status=self.status,
                               method=self.method, path=self.path)

    def _typed(self, key, kinds, kind_name, required):
        value = self.get(key)
        if value is None:
            if required:
                raise self.malformed(self._where(key), 'is missing')
            return None
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.malformed(self._where(key), 'is %s, not %s' % (json_type(value), kind_name))
        return value

    def text(self, key, required=False):
        """A string field (None when absent or null); required: absent, null or empty is malformed."""
        value = self._typed(key, (str,), 'a string', required)
        if required and not value:
            raise self.malformed(self._where(key), 'is missing')
        return value

    def number(self, key):
        return self._typed(key, (int, float), 'a number', False)

    def flag(self, key):
        return self._typed(key, (bool,), 'a boolean', False)

    def object(self, key):
        """An object field as an Answer, or None."""
        value = self._typed(key, (dict,), 'an object', False)
        return None if value is None else self._inner(value, self._where(key))

    def strings(self, key):
        """A list of strings ([] when absent or null)."""
        items = self._typed(key, (list,), 'a list', False) or []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                raise self.malformed('%s[%d]' % (self._where(key), index), 'is %s, not a string' % json_type(item))
        return items

    def objects(self, key):
        """A list of objects as Answers ([] when absent or null)."""
        items = self._typed(key, (list,), 'a list', False) or []
        answers = []
        for index, item in enumerate(items):
            where = '%s[%d]' % (self._where(key), index)
            if not isinstance(item, dict):
                raise self.malformed(where, 'is %s, not an object' % json_type(item))
            answers.append(self._inner(item, where))
        return answers

    def _inner(self, value, place):
        return as_answer(value, self.method, self.path, self.status, place)


def as_answer(value, method=None, path=None, status=None, place=''):
    """value (decoded JSON) as an Answer; anything but an object is a malformed answer. An Answer is returned as it is."""
    if isinstance(value, Answer) and method is None:
        return value
    answer = Answer(value) if isinstance(value, dict) else Answer()
    answer.method, answer.path, answer.status, answer.place = method, path, status, place
    if not isinstance(value, dict):
        raise answer.malformed(place or 'the answer', 'is %s, not an object' % json_type(value))
    return answer
