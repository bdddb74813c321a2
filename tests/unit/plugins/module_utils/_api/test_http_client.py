"""The shared HTTP client against an in-process emulator; sleeps are recorded, not slept."""

import email.utils

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import (
    ApiClient, GenesysApiError, RetryCount, RetryPolicy, parse_retry_after)
from ansible_collections.genesys.cloud.plugins.module_utils._api.version import COLLECTION_VERSION
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET

CLIENTS = '/api/v2/oauth/clients'


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self):
        return self.now


@pytest.fixture
def fake_time():
    return FakeTime()


def make_client(url, fake_time, **kwargs):
    kwargs.setdefault('client_id', ADMIN_CLIENT_ID)
    kwargs.setdefault('client_secret', ADMIN_CLIENT_SECRET)
    return ApiClient(url, url, sleep=fake_time.sleep, clock=fake_time.clock, timeout=5, **kwargs)


def test_parse_retry_after():
    assert parse_retry_after('7') == 7.0
    assert parse_retry_after(' 0 ') == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None
    date = email.utils.formatdate(2000.0, usegmt=True)
    assert parse_retry_after(date, now=1990.0) == pytest.approx(10.0)
    assert parse_retry_after(date, now=3000.0) == 0.0


def test_retry_policy_bounds():
    policy = RetryPolicy(max_retries=2, max_wait=10, backoff_base=1, backoff_max=4)
    assert policy.delay(0, retry_after=3) == 3
    for attempt in range(6):
        assert min(4, 2 ** attempt) * 0.5 <= policy.delay(attempt) <= min(4, 2 ** attempt)
    assert policy.allows(1, 5, 5)
    assert not policy.allows(2, 0, 1)
    assert not policy.allows(0, 8, 3)


def test_logs_in_once_and_sends_user_agent(emulator, control, fake_time):
    api = make_client(emulator.url, fake_time)
    api.get(CLIENTS)
    api.get(CLIENTS)
    log = control.requests()
    assert [r['path'] for r in log] == ['/oauth/token', CLIENTS, CLIENTS]
    assert 'genesys.cloud/%s' % COLLECTION_VERSION in log[1]['user_agent']


def test_429_waits_for_retry_after(emulator, control, fake_time):
    control.fault(path=CLIENTS, status=429, count=2, retry_after=7)
    api = make_client(emulator.url, fake_time)
    assert api.get(CLIENTS)['total'] == 1
    assert fake_time.sleeps == [7, 7]


def test_429_is_retried_for_posts_too(emulator, control, fake_time):
    control.fault(method='POST', path=CLIENTS, status=429, count=1, retry_after=1)
    api = make_client(emulator.url, fake_time)
    created = api.post(CLIENTS, dict(name='x', authorizedGrantType='CODE'))
    assert created['name'] == 'x'
    assert [r['status'] for r in control.requests() if r['method'] == 'POST' and r['path'] == CLIENTS] == [429, 200]


def test_retries_are_counted_by_request_with_the_429s_and_the_seconds_waited(emulator, control, fake_time):
    control.fault(method='GET', path=CLIENTS + '$', status=429, count=2, retry_after=7)
    control.fault(method='GET', path='/scopes$', status=503, count=1, retry_after=1)
    api = make_client(emulator.url, fake_time)
    assert api.retried.as_result() == dict(requests=0, retries=0, rate_limited=0, seconds_waited=0)
    api.get(CLIENTS)
    control.fault(method='POST', path='/oauth/token$', status=429, count=1, retry_after=2)
    api.get('/api/v2/oauth/scopes')
    api.get(CLIENTS)
    # A login with other credentials (the test login of a new secret) counts in the same run.
    api.for_credentials(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET).login()
    assert fake_time.sleeps == [7, 7, 1, 2]
    assert api.retried.as_result() == dict(requests=3, retries=4, rate_limited=3, seconds_waited=17)
    assert api.retried.summary() == ('retried 3 requests 4 times (429 Too Many Requests: 3 answers), waiting 17 s in '
                                     'all: the rate budget of the login is getting tight')


def test_the_retry_count_in_words():
    count = RetryCount()
    assert count.summary() == ''
    count.waited(0.25, first=True)
    assert count.summary() == 'retried 1 request 1 time (429 Too Many Requests: 0 answers), waiting 0.25 s in all'
    count.answered(429)
    count.answered(503)
    count.waited(1.0004, first=False)
    assert count.as_result() == dict(requests=1, retries=2, rate_limited=1, seconds_waited=1.25)


def test_transient_errors_back_off_for_idempotent_requests(emulator, control, fake_time):
    control.fault(method='GET', path=CLIENTS, status=503, count=3)
    api = make_client(emulator.url, fake_time, retry=RetryPolicy(backoff_base=2))
    api.get(CLIENTS)
    assert len(fake_time.sleeps) == 3
    for attempt, slept in enumerate(fake_time.sleeps):
        assert 2 * 2 ** attempt * 0.5 <= slept <= 2 * 2 ** attempt


def test_transient_errors_are_not_retried_for_post(emulator, control, fake_time):
    control.fault(method='POST', path=CLIENTS, status=502, count=1)
    api = make_client(emulator.url, fake_time)
    with pytest.raises(GenesysApiError) as caught:
        api.post(CLIENTS, dict(name='x', authorizedGrantType='CODE'))
    assert caught.value.status == 502 and fake_time.sleeps == []


def test_gives_up_after_max_retries_with_the_api_error(emulator, control, fake_time):
    control.fault(method='GET', path=CLIENTS, status=503, count=10, retry_after=1, message='Service down for upgrade')
    api = make_client(emulator.url, fake_time, retry=RetryPolicy(max_retries=3))
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    error = caught.value
    assert (error.status, error.retries) == (503, 3) and error.message.startswith('Service down for upgrade; ')
    assert 'after 3 retries' in str(error) and 'correlation id' in str(error)
    assert fake_time.sleeps == [1, 1, 1]


def test_gives_up_when_retry_after_exceeds_max_wait(emulator, control, fake_time):
    control.fault(path=CLIENTS, status=429, count=5, retry_after=100)
    api = make_client(emulator.url, fake_time, retry=RetryPolicy(max_wait=60))
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert caught.value.status == 429 and fake_time.sleeps == []


def test_401_logs_in_again_once(emulator, control, fake_time):
    api = make_client(emulator.url, fake_time)
    api.get(CLIENTS)
    control.expire_tokens()
    api.get(CLIENTS)
    assert [r['path'] for r in control.requests()].count('/oauth/token') == 2
    control.fault(path=CLIENTS, status=401, count=2)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert caught.value.status == 401


def test_a_static_token_is_never_replaced(emulator, control, fake_time):
    token = control.token()
    api = ApiClient(emulator.url, emulator.url, access_token=token, sleep=fake_time.sleep)
    api.get(CLIENTS)
    control.expire_tokens()
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert caught.value.status == 401 and caught.value.code == 'bad.credentials'
    assert [r['path'] for r in control.requests()].count('/oauth/token') == 1


def test_token_is_renewed_before_it_expires(emulator, control, fake_time):
    control.configure(token_ttl=120)
    api = make_client(emulator.url, fake_time)
    api.get(CLIENTS)
    fake_time.now += 61  # past expires_in minus the safety margin
    api.get(CLIENTS)
    assert [r['path'] for r in control.requests()] == ['/oauth/token', CLIENTS, '/oauth/token', CLIENTS]


def test_a_short_lived_token_is_not_renewed_on_every_request(emulator, control, fake_time):
    control.configure(token_ttl=40)
    api = make_client(emulator.url, fake_time)
    api.get(CLIENTS)
    fake_time.now += 10
    api.get(CLIENTS)
    fake_time.now += 15  # 25 s: past half its life
    api.get(CLIENTS)
    assert [r['path'] for r in control.requests()].count('/oauth/token') == 2


def test_bad_login_error_is_readable(emulator, fake_time):
    api = make_client(emulator.url, fake_time, client_secret='Zx9-not-the-secret')
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert caught.value.status == 401 and caught.value.code == 'invalid_client'
    assert 'Zx9-not-the-secret' not in str(caught.value)


def test_errors_carry_genesys_fields(emulator, fake_time):
    api = make_client(emulator.url, fake_time)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS + '/nope')
    error = caught.value
    assert (error.status, error.code) == (404, 'not.found')
    assert 'nope' in error.message and len(error.context_id) == 36
    assert error.as_dict()['path'] == CLIENTS + '/nope'
    assert api.get_or_none(CLIENTS + '/nope') is None


def test_paginate_follows_next_uri(emulator, control, fake_time):
    for number in range(4):
        control.create_client(name='c%d' % number, roleDivisions=[])
    control.configure(max_page_size=2)
    control.clear_requests()
    api = make_client(emulator.url, fake_time)
    names = [client['name'] for client in api.paginate(CLIENTS)]
    assert names == ['Emulator admin', 'c0', 'c1', 'c2', 'c3']
    pages = [r['query'].get('pageNumber', '1') for r in control.requests() if r['path'] == CLIENTS]
    assert pages == ['1', '2', '3']


def test_connection_errors_are_retried_for_gets_then_reported(fake_time):
    api = make_client('http://127.0.0.1:9', fake_time, access_token='t', client_id=None, client_secret=None,
                      retry=RetryPolicy(max_retries=2))
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert 'could not reach http://127.0.0.1:9' in str(caught.value)
    assert len(fake_time.sleeps) == 2
