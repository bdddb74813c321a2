"""Promise 2 in the HTTP client and the connection options: credentials and bodies go only to the origin the task
named (the location is resolved like the login; no redirect to another origin, none at all for a write), timeout is
a deadline for the whole answer, and a refused wait or request says what was refused."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api import connection as _connection
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError
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


# The location, resolved like the login: the task decides when it gives region or api_url.

ENV_DECOY = dict(GENESYSCLOUD_API_URL=DECOY_URL, GENESYSCLOUD_REGION='ap-south-1')


def resolved(environ, **given):
    params = {name: None for name in _connection.CONNECTION_ARGUMENT_SPEC}
    params.update(given)
    return _connection.resolve_location(params, environ)


@pytest.mark.parametrize('given, expected', [
    (dict(region='eu-west-1'), dict(region='eu-west-1', api_url=None)),
    (dict(api_url='http://127.0.0.1:8080'), dict(region=None, api_url='http://127.0.0.1:8080')),
    (dict(), dict(region='ap-south-1', api_url=DECOY_URL)),
])
def test_a_task_location_beats_every_environment_variable(given, expected):
    assert resolved(ENV_DECOY, **given) == expected


def test_the_environment_fills_in_only_when_the_task_gives_no_location():
    assert resolved(dict(GENESYSCLOUD_REGION='eu-west-1')) == dict(region='eu-west-1', api_url=None)
    assert resolved({}) == dict(region='us-east-1', api_url=None)
    params = _connection.connection_params(dict(region='eu-west-1', auth_client_id='id', auth_client_secret='s'),
                                           ENV_DECOY)
    assert _connection.api_client_from_options(params).login_base == 'https://login.mypurecloud.ie'
    # Credentials in a task that names no location go to the environment's (the documented precedence).
    params = _connection.connection_params(dict(auth_token='t'), ENV_DECOY)
    assert _connection.api_client_from_options(params).api_base == DECOY_URL


def test_an_empty_location_in_the_environment_is_refused_naming_the_variable():
    with pytest.raises(InputError) as caught:
        resolved(dict(GENESYSCLOUD_REGION=' '))
    assert 'region is empty (from GENESYSCLOUD_REGION)' in str(caught.value)
    assert resolved(dict(GENESYSCLOUD_API_URL=''), region='eu-west-1')['region'] == 'eu-west-1'


def test_an_entry_that_sets_part_of_the_location_decides_all_of_it():
    entry = dict(region='eu-west-1', auth_client_secret='entry-secret', timeout=3, api_url=None)
    top = dict(api_url=DECOY_URL, auth_client_id='top-id', auth_client_secret='top-secret', timeout=9, max_retries=1)
    assert _connection.layered(entry, top) == dict(region='eu-west-1', auth_client_id='top-id',
                                                   auth_client_secret='entry-secret', timeout=3, max_retries=1)
    assert _connection.layered(dict(region=None), top) == top


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


# A refused wait or request says what was refused.

def test_a_retry_after_over_max_retry_wait_says_so(emulator, control):
    control.fault(path=CLIENTS, status=429, count=5, retry_after=3600, code='too.many.requests')
    sleeps = []
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    retry=RetryPolicy(max_wait=120), sleep=sleeps.append)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    message = str(caught.value)
    assert caught.value.status == 429 and sleeps == []
    assert 'the API asked to wait 3600 s (Retry-After), over max_retry_wait (120 s)' in message, message
    assert 'raise max_retry_wait' in message


def test_a_retry_after_spent_retries_is_the_bare_error(emulator, control):
    control.fault(path=CLIENTS, status=429, count=5, retry_after=1)
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET,
                    retry=RetryPolicy(max_retries=2), sleep=lambda seconds: None)
    with pytest.raises(GenesysApiError) as caught:
        api.get(CLIENTS)
    assert 'after 2 retries' in str(caught.value) and 'max_retry_wait' not in str(caught.value)


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
