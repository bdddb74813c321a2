"""Who a run is (GET /api/v2/tokens/me), in-process against the emulator: asked once a run, only for a token, and a
refusal told once."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api import token_info as _token_info
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient, GenesysApiError, RetryPolicy
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import ORGANIZATION_NAME

TOKENS_ME = ('GET', _token_info.TOKEN_INFO_PATH)


def calls(control):
    return [(r['method'], r['path']) for r in control.requests()]


def token_api(emulator, control, token=None):
    return ApiClient(emulator.url, emulator.url, access_token=token or control.token(), timeout=5,
                     retry=RetryPolicy(max_retries=0))


def test_a_client_credentials_login_names_its_client_without_a_request(emulator, control):
    api = ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5)
    warnings = []
    assert _token_info.login_client_id(api, warnings.append, 'x') == ADMIN_CLIENT_ID
    assert control.requests() == [] and warnings == []


def test_a_token_is_asked_about_once_however_often_a_guard_asks(emulator, control):
    robot = control.create_client(name='robot', roleDivisions=[])
    api = token_api(emulator, control, control.token(robot['id'], robot['secret']))
    control.clear_requests()
    warnings = []
    assert [_token_info.login_client_id(api, warnings.append, 'x') for _call in range(3)] == [robot['id']] * 3
    assert _token_info.token_info(api).organization_name == ORGANIZATION_NAME
    assert calls(control) == [TOKENS_ME] and warnings == []
    # Another run (another ApiClient) asks again.
    assert _token_info.login_client_id(token_api(emulator, control), warnings.append, 'x') == ADMIN_CLIENT_ID
    assert calls(control).count(TOKENS_ME) == 2


@pytest.mark.parametrize('answer, why', [
    ('forbidden', 'the API refused to tell whose the token is (Unable to perform the requested action'),
    ('no_client', 'the answer to GET /api/v2/tokens/me names no OAuth client'),
])
def test_an_answer_without_the_client_is_told_once_and_leaves_it_unknown(emulator, control, answer, why):
    api = token_api(emulator, control)
    control.configure(tokens_me=answer)
    control.clear_requests()
    warnings = []
    assert _token_info.login_client_id(api, warnings.append, 'the purge cannot spare it') is None
    assert _token_info.login_client_id(api, warnings.append, 'another guard') is None
    assert calls(control) == [TOKENS_ME]
    assert len(warnings) == 1 and warnings[0].startswith(why)
    assert 'the OAuth client this task runs as is unknown: the purge cannot spare it' in warnings[0]
    if answer == 'forbidden':
        assert 'HTTP 403, code missing.permissions, correlation id ' in warnings[0]
        assert _token_info.token_info(api).organization_name is None
    else:
        assert _token_info.token_info(api).organization_name == ORGANIZATION_NAME


def test_any_other_failure_is_raised(emulator, control):
    with pytest.raises(GenesysApiError) as bad_token:
        _token_info.login_client_id(token_api(emulator, control, 'not-a-token'), pytest.fail, 'x')
    assert bad_token.value.status == 401
    control.fault(method='GET', path='^/api/v2/tokens/me$', status=503)
    with pytest.raises(GenesysApiError) as unavailable:
        _token_info.token_info(token_api(emulator, control))
    assert unavailable.value.status == 503
