# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one HTTP client every module uses: login, retries, paging and Genesys error bodies.

Plain Python with no Ansible imports, so it is easy to test and to reuse.
"""

from __future__ import annotations

import base64
import email.utils
import random
import time
import traceback
from urllib.parse import quote, urljoin

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
TRANSIENT_STATUSES = frozenset((502, 503, 504))
TOO_MANY_REQUESTS = 429

# A token is renewed this many seconds before the API would start refusing it.
TOKEN_EXPIRY_MARGIN = 60


def entity_path(collection_path, entity_id):
    """The path of one entity of a collection, its id escaped as one path segment."""
    return '%s/%s' % (collection_path, quote(entity_id, safe=''))


class GenesysApiError(Exception):
    """A failed call: the HTTP status, Genesys' error code, message and correlation id (contextId)."""

    def __init__(self, message, status=None, code=None, context_id=None, method=None, path=None, retries=0):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.context_id = context_id
        self.method = method
        self.path = path
        self.retries = retries

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
    """A logged-in session against one Genesys Cloud organisation."""

    def __init__(self, api_base, login_base, client_id=None, client_secret=None, access_token=None,
                 timeout=30, validate_certs=True, retry=None, sleep=time.sleep, clock=time.monotonic):
        if not HAS_REQUESTS:
            raise RuntimeError('the requests library is required')
        self.api_base = api_base.rstrip('/')
        self.login_base = login_base.rstrip('/')
        self.client_id = client_id
        self._client_secret = client_secret
        self._access_token = access_token
        self._token_expires_at = None
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self.session = requests.Session()
        self.session.verify = validate_certs
        self.session.headers['User-Agent'] = '%s %s' % (USER_AGENT, requests.utils.default_user_agent())
        self.session.headers['Accept'] = 'application/json'

    @property
    def can_login(self):
        return bool(self.client_id and self._client_secret)

    def login(self):
        """Get a token with the client-credentials grant; it is kept for the rest of the run."""
        basic = base64.b64encode(('%s:%s' % (self.client_id, self._client_secret)).encode('utf-8')).decode('ascii')
        response = self._send('POST', self.login_base + '/oauth/token', '/oauth/token', idempotent=True,
                              headers={'Authorization': 'Basic ' + basic},
                              data={'grant_type': 'client_credentials'})
        body = response.json()
        self._access_token = body['access_token']
        expires_in = body.get('expires_in')
        if expires_in is None:
            self._token_expires_at = None
        else:
            # Renew a little early, but never so early that a short-lived token is renewed on every request.
            lifetime = int(expires_in)
            self._token_expires_at = self._clock() + lifetime - min(TOKEN_EXPIRY_MARGIN, lifetime // 2)

    def for_credentials(self, client_id, client_secret):
        """A new client for the same API and settings that logs in with other client credentials."""
        return ApiClient(self.api_base, self.login_base, client_id=client_id, client_secret=client_secret,
                         timeout=self.timeout, validate_certs=self.session.verify, retry=self.retry,
                         sleep=self._sleep, clock=self._clock)

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

    def request(self, method, path, body=None, params=None, headers=None):
        """Send an API request and return the decoded JSON body (None when empty)."""
        response = self._send(method, urljoin(self.api_base + '/', path.lstrip('/')), path,
                              idempotent=method in IDEMPOTENT_METHODS, authenticated=True,
                              headers=headers, json=body, params=params)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GenesysApiError('the API answered with a body that is not JSON', status=response.status_code,
                                  method=method, path=path)

    def get(self, path, params=None, headers=None):
        return self.request('GET', path, params=params, headers=headers)

    def get_or_none(self, path, params=None, headers=None):
        """GET that answers None for 404 instead of failing."""
        try:
            return self.get(path, params=params, headers=headers)
        except GenesysApiError as exc:
            if exc.status == 404:
                return None
            raise

    def post(self, path, body=None, params=None, headers=None):
        return self.request('POST', path, body=body, params=params, headers=headers)

    def put(self, path, body=None, headers=None):
        return self.request('PUT', path, body=body, headers=headers)

    def delete(self, path, headers=None):
        return self.request('DELETE', path, headers=headers)

    def paginate(self, path, params=None, page_size=100, headers=None):
        """Yield the entities of a listing, following nextUri while the API gives one.

        page_size=None sends no pageSize, for listings that do not page (scopes, authorizations).
        """
        query = dict(params or {})
        if page_size:
            query.setdefault('pageSize', page_size)
        page = self.get(path, params=query or None, headers=headers)
        seen = set()
        while True:
            yield from (page or {}).get('entities') or []
            next_uri = (page or {}).get('nextUri')
            if not next_uri or next_uri in seen:
                return
            seen.add(next_uri)
            page = self.get(next_uri, headers=headers)

    def _send(self, method, url, path, idempotent, authenticated=False, headers=None, **kwargs):
        """One request with the retry rules: 401 -> one new login; 429 -> wait Retry-After;
        502/503/504 and connection errors -> backoff, for idempotent requests only."""
        attempt = 0
        waited = 0.0
        logged_in_again = False
        while True:
            send_headers = dict(headers or {})
            if authenticated:
                send_headers['Authorization'] = self._bearer()
            try:
                response = self.session.request(method, url, headers=send_headers, timeout=self.timeout, **kwargs)
            except requests.exceptions.RequestException as exc:
                delay = self.retry.delay(attempt)
                if idempotent and self.retry.allows(attempt, waited, delay):
                    self._sleep(delay)
                    waited += delay
                    attempt += 1
                    continue
                raise GenesysApiError('could not reach %s: %s' % (url.split('?')[0], exc),
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
