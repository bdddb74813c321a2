"""Promise 2 in the HTTP client: credentials and bodies go only to the origin the task named (no redirect to another
origin, none at all for a write), timeout is a deadline for the whole answer, and a refused wait or request says
what was refused. The location the task names: test_connection_location.py."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient, GenesysApiError, RetryPolicy
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET

CLIENTS = '/api/v2/oauth/clients'
DECOY_URL = 'http://127.0.0.1:9'


def client(url, **kwargs):
    kwargs.setdefault('access_token', 'the-token')
    sleeps = []
    return ApiClient(url, url, timeout=5, retry=RetryPolicy(max_retries=0), sleep=sleeps.append,
                     clock=lambda: sum(sleeps), **kwargs)


def redirect_to(target, status=307):
    return lambda handler: (status, {'Location': target + handler.path}, {})


# Redirects: never to another origin, never for a write or a login, a few times for a read.

def test_a_read_follows_a_redirect_on_its_own_origin(listeners):
    server = listeners(lambda handler: ((302, {'Location': '/moved?x=1'}, {}) if handler.path.startswith(CLIENTS)
                                        else (200, {}, dict(entities=[]))))
    assert client(server.url).get(CLIENTS, params=dict(pageSize=5)) == dict(entities=[])
    assert [entry['path'] for entry in server.log] == [CLIENTS + '?pageSize=5', '/moved?x=1']
    assert server.log[1]['headers']['Authorization'] == 'Bearer the-token'


@pytest.mark.parametrize('method', ['GET', 'PUT', 'POST', 'DELETE'])
def test_no_redirect_to_another_origin_is_followed(listeners, method):
    decoy = listeners()
    proxy = listeners(redirect_to(decoy.url))
    with pytest.raises(GenesysApiError) as caught:
        client(proxy.url).request(method, CLIENTS + '/x', body=dict(secret='the-new-secret'))
    message = str(caught.value)
    assert decoy.log == [] and len(proxy.log) == 1
    assert 'redirect to %s%s/x' % (decoy.url, CLIENTS) in message and 'nothing was sent there' in message
    assert '(HTTP 307' in message and 'no response' not in message
    # The API got the request before it redirected: a write's outcome is unknown, not refused.
    assert caught.value.status == 307 and caught.value.as_dict()['refused'] is None
    assert caught.value.outcome_unknown


def test_a_write_is_not_sent_again_to_a_redirect_on_its_own_origin(listeners):
    server = listeners(lambda handler: ((308, {'Location': '/elsewhere'}, {}) if handler.path != '/elsewhere'
                                        else (200, {}, {})))
    api = client(server.url)
    with pytest.raises(GenesysApiError) as caught:
        api.put(CLIENTS + '/x', body=dict(name='x'))
    assert 'a PUT is never sent again to where a redirect points' in str(caught.value)
    assert [entry['path'] for entry in server.log] == [CLIENTS + '/x'] and api.changes == []


def test_a_login_is_not_sent_to_a_redirect(listeners):
    decoy = listeners()
    proxy = listeners(redirect_to(decoy.url))
    api = ApiClient(proxy.url, proxy.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5,
                    retry=RetryPolicy(max_retries=0))
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert decoy.log == [] and [entry['path'] for entry in proxy.log] == ['/oauth/token']
    assert 'not followed, nothing was sent there' in str(caught.value) and 'POST /oauth/token' in str(caught.value)


def test_a_redirect_loop_ends_after_a_few(listeners):
    server = listeners(lambda handler: (302, {'Location': handler.path + 'x'}, {}))
    with pytest.raises(GenesysApiError) as caught:
        client(server.url).get('/loop')
    assert 'after 5 redirects in a row' in str(caught.value) and len(server.log) == 6


def test_a_3xx_without_a_location_is_an_error_not_an_answer(listeners):
    server = listeners(lambda handler: (304, {}, {}))
    with pytest.raises(GenesysApiError) as caught:
        client(server.url).get(CLIENTS)
    assert caught.value.status == 304 and 'no redirect this collection can follow' in str(caught.value)


# timeout is a deadline for the whole answer.

def test_an_answer_that_drips_in_ends_at_the_timeout(emulator, control):
    control.fault(method='GET', path=CLIENTS + '$', drip=0.5, count=5)
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    timeout=1, retry=RetryPolicy(max_retries=0))
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    message = str(caught.value)
    assert 'no complete answer from %s%s within timeout (1 s)' % (emulator.url, CLIENTS) in message, message
    assert 'raise timeout' in message and caught.value.status is None


def test_a_dripping_answer_is_retried_like_a_timeout(emulator, control):
    control.fault(method='GET', path=CLIENTS + '$', drip=0.5, count=1)
    sleeps = []
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    timeout=1, retry=RetryPolicy(max_retries=1), sleep=sleeps.append)
    assert api.get(CLIENTS)['entities']
    assert len(sleeps) == 1
    assert api.retried.as_result() == dict(requests=1, retries=1, rate_limited=0, seconds_waited=round(sleeps[0], 3))


# A refused wait or request says what was refused.

def rate_limited_failure(emulator, control, retry_after, **policy):
    """The GenesysApiError of a GET that met only 429s asking for retry_after seconds, and its correlation id."""
    control.fault(path=CLIENTS, status=429, count=5, retry_after=retry_after)
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    retry=RetryPolicy(**policy), sleep=lambda seconds: None)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert caught.value.status == 429 and caught.value.code == 'too.many.requests.retry.after'
    return caught.value, api


def test_a_retry_after_over_max_retry_wait_says_so(emulator, control):
    error, api = rate_limited_failure(emulator, control, 3600, max_wait=120)
    message = str(error)
    assert api.retried.as_result() == dict(requests=0, retries=0, rate_limited=1, seconds_waited=0)
    assert message.startswith('Rate limit exceeded the maximum. Retry the request in [3600] seconds; '), message
    assert 'the API asked to wait 3600 s (Retry-After), over max_retry_wait (120 s)' in message, message
    assert 'raise max_retry_wait' in message and '(HTTP 429, code too.many.requests.retry.after' in message
    assert 'correlation id %s' % error.context_id in message and error.context_id


def test_spent_retries_name_the_wait_asked_for_max_retry_wait_and_the_correlation_id(emulator, control):
    error, api = rate_limited_failure(emulator, control, 1, max_retries=2)
    message = str(error)
    assert ('Retry the request in [1] seconds; max_retries (2) spent after 2 s of waiting (max_retry_wait 120 s), and '
            'the API asked to wait 1 s more (Retry-After): send fewer requests, or raise max_retries (HTTP 429, code '
            'too.many.requests.retry.after, correlation id %s, after 2 retries)' % error.context_id) in message, message
    assert api.retried.as_result() == dict(requests=1, retries=2, rate_limited=3, seconds_waited=2)


def test_spent_retries_of_a_server_error_give_no_rate_limit_advice(emulator, control):
    control.fault(path=CLIENTS, status=503, count=5, retry_after=0)
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    retry=RetryPolicy(max_retries=1), sleep=lambda seconds: None)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    message = str(caught.value)
    assert caught.value.status == 503 and 'max_retries (1) spent' in message and ': raise max_retries' in message, message
    assert 'send fewer requests' not in message


def test_no_retry_at_all_says_max_retries_is_0(emulator, control):
    error, _api = rate_limited_failure(emulator, control, 4, max_retries=0)
    assert ('; the API asked to wait 4 s (Retry-After), max_retry_wait is 120 s, but max_retries is 0: no retry was '
            'made (HTTP 429') in str(error), str(error)


def test_refusals_say_what_was_refused_not_no_response(listeners):
    server = listeners(lambda handler: (200, {}, dict(entities=[dict(id=handler.path)], nextUri=handler.path + 'n')))
    with pytest.raises(GenesysApiError) as caught:
        list(client(server.url).paginate(CLIENTS, max_pages=3))
    assert '(refused by genesys.cloud: page 4 not requested)' in str(caught.value), str(caught.value)
    with pytest.raises(GenesysApiError) as caught:
        client(server.url).get(DECOY_URL + CLIENTS)
    assert '(refused by genesys.cloud: nothing sent there)' in str(caught.value), str(caught.value)
    unreachable = client(DECOY_URL)
    with pytest.raises(GenesysApiError) as caught:
        unreachable.get(CLIENTS)
    assert '(no response)' in str(caught.value) and caught.value.refused is None
