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
import ssl
import time
import traceback
from urllib.parse import quote, urljoin, urlsplit

from ._errors import GenesysError
from ._version import COLLECTION_NAME, COLLECTION_VERSION

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


class GenesysApiError(GenesysError):
    """A failed call: the HTTP status, Genesys' error code, message and correlation id (contextId)."""

    def __init__(self, message, status=None, code=None, context_id=None, method=None, path=None, retries=0):
        self.status = status
        self.code = code
        self.context_id = context_id
        self.method = method
        self.path = path
        self.retries = retries
        super().__init__(message)
        self.result['api_error'] = self.as_dict()

    def __str__(self):
        facts = []
        if self.status is not None:
            facts.append('HTTP %s' % self.status)
        if self.code:
            facts.append('code %s' % self.code)
        if self.context_id:
            facts.append('correlation id %s' % self.context_id)
        if self.retries:
            facts.append('after %d retries' % self.retries)
        where = ' on %s %s' % (self.method, self.path) if self.method else ''
        return '%s (%s)%s' % (self.message, ', '.join(facts) or 'no response', where)

    def as_dict(self):
        """The error as a module result entry, so playbooks can branch on status or code."""
        return dict(status=self.status, code=self.code, message=self.message, context_id=self.context_id,
                    method=self.method, path=self.path)


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


class ApiClient:
    """A logged-in session against one Genesys Cloud organisation.

    changes lists the writes that succeeded ('PUT /api/v2/...'), so a module that fails half-way can say
    truthfully what it changed.
    """

    def __init__(self, api_base, login_base, client_id=None, client_secret=None, access_token=None,
                 timeout=30, validate_certs=True, ca_path=None, retry=None, not_found_wait=0.0,
                 sleep=time.sleep, clock=time.monotonic):
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
        self.session = requests.Session()
        self.session.headers['User-Agent'] = '%s %s' % (USER_AGENT, requests.utils.default_user_agent())
        self.session.headers['Accept'] = 'application/json'

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
        except (TypeError, ValueError):
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
                          sleep=self._sleep, clock=self._clock)
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
                                      'send the token there' % (path.split('?')[0], self.api_base), path=path)
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
            return None
        try:
            return response.json()
        except ValueError:
            raise GenesysApiError('the API answered with a body that is not JSON', status=response.status_code,
                                  method=method, path=path)

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
        """Yield the entities of a listing once each (by id), following nextUri.

        The walk ends at a page without nextUri, an empty page, the last page by pageCount, or a nextUri seen
        before; a listing longer than max_pages is an error rather than an endless walk.
        page_size=None sends no pageSize, for listings that do not page (scopes, authorizations).
        """
        query = dict(params or {})
        if page_size:
            query.setdefault('pageSize', page_size)
        page_path = path
        page = self.get(path, params=query or None, headers=headers)
        seen_ids, seen_uris, pages = set(), set(), 1
        while True:
            if page is None:
                return
            if not isinstance(page, dict):
                raise GenesysApiError('the listing answer is not a JSON object', method='GET', path=page_path)
            entities = page.get('entities') or []
            for entity in entities:
                entity_id = entity.get('id') if isinstance(entity, dict) else None
                if entity_id is not None:
                    if entity_id in seen_ids:
                        continue  # an entity created during the walk shifts the pages: it is met twice
                    seen_ids.add(entity_id)
                yield entity
            next_uri = page.get('nextUri')
            number, count = page.get('pageNumber'), page.get('pageCount')
            if (not next_uri or not entities or next_uri in seen_uris
                    or (isinstance(number, int) and isinstance(count, int) and number >= count)):
                return
            if pages >= max_pages:
                raise GenesysApiError('the listing has more than %d pages; stopped following nextUri' % max_pages,
                                      method='GET', path=path)
            seen_uris.add(next_uri)
            pages += 1
            page_path = next_uri
            page = self.get(next_uri, headers=headers)

    def _send(self, method, url, path, idempotent, authenticated=False, headers=None, **kwargs):
        """One request with the retry rules: 401 -> one new login; 429 -> wait Retry-After;
        502/503/504, dropped connections and timeouts -> backoff, for idempotent requests only.
        A failure that cannot pass (TLS, a bad URL or header) is never retried."""
        attempt = 0
        waited = 0.0
        logged_in_again = False
        while True:
            send_headers = dict(headers or {})
            if authenticated:
                send_headers['Authorization'] = self._bearer()
            try:
                response = self.session.request(method, url, headers=send_headers, timeout=self.timeout,
                                                verify=self.verify, **kwargs)
            except (requests.exceptions.RequestException, UnicodeError) as exc:
                delay = self.retry.delay(attempt)
                if idempotent and is_transient(exc) and self.retry.allows(attempt, waited, delay):
                    self._sleep(delay)
                    waited += delay
                    attempt += 1
                    continue
                raise GenesysApiError('could not reach %s: %s' % (url.split('?')[0], describe_transport_error(exc)),
                                      method=method, path=path, retries=attempt)

            if response.status_code == 401 and authenticated and self.can_login and not logged_in_again:
                logged_in_again = True
                self._access_token = None
                continue

            retryable = (response.status_code == TOO_MANY_REQUESTS
                         or (idempotent and response.status_code in TRANSIENT_STATUSES))
            if retryable:
                delay = self.retry.delay(attempt, parse_retry_after(response.headers.get('Retry-After')))
                if self.retry.allows(attempt, waited, delay):
                    self._sleep(delay)
                    waited += delay
                    attempt += 1
                    continue

            if response.status_code >= 400:
                raise error_from_response(response, method, path, retries=attempt)
            return response
