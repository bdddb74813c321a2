"""Issue 17, promise 3, in-process: which failed writes may have happened, and a lost create that cannot be pinned
to one client."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients import ensure_many as _client_set
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import CLIENTS_PATH
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import ApiClient, GenesysApiError, RetryPolicy
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET


@pytest.mark.parametrize('status,unknown', [
    (None, True), (500, True), (503, True), (504, True), (200, True), (201, True), (204, True),
    (400, False), (401, False), (404, False), (409, False), (429, False), (307, True),
])
def test_a_write_may_have_happened_without_an_answer_on_a_5xx_or_on_an_unreadable_2xx(status, unknown):
    assert GenesysApiError('x', status=status, method='POST', path='/p').outcome_unknown is unknown


class SetModule:
    """What ensure_client_set uses of GenesysModule."""
    check_mode = False
    _diff = False

    def __init__(self, url, clients):
        self.api = ApiClient(url, url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5,
                             retry=RetryPolicy(max_retries=0))
        self.params = dict(clients=clients, defaults=dict(grant_type='code', return_secret=True), purge=False, purge_filter=None)


def secret_posts(control):
    return [r for r in control.requests() if r['method'] == 'POST' and r['path'].endswith('/secret')]


def test_a_lost_create_that_left_two_clients_of_its_name_fails_naming_both_and_rotates_neither(
        emulator, control, monkeypatch):
    module = SetModule(emulator.url, [dict(name='twin')])
    real_post = module.api.post

    def post(path, body=None, **kwargs):
        if path == CLIENTS_PATH:
            real_post(path, body)  # a parallel run's create
            real_post(path, body)  # this run's, whose answer is lost
            raise GenesysApiError('Injected fault', status=503, method='POST', path=path)
        return real_post(path, body, **kwargs)

    monkeypatch.setattr(module.api, 'post', post)
    with pytest.raises(GenesysError) as caught:
        _client_set.ensure_client_set(module)
    [outcome] = caught.value.result['clients']
    twins = control.clients_named('twin')
    assert outcome['action'] == 'failed' and outcome['changed'] is True and len(twins) == 2
    assert '2 OAuth clients of that name exist now' in outcome['msg'] and 'HTTP 503' in outcome['msg']
    assert all(twin['id'] in outcome['msg'] for twin in twins)
    assert 'genesys.cloud.oauth_client_secret with client_id: <its id>' in outcome['msg'], outcome['msg']
    assert secret_posts(control) == []


def test_a_lost_create_whose_lookup_fails_says_it_may_have_been_created(emulator, control):
    module = SetModule(emulator.url, [dict(name='lost', dest=None)])
    control.fault(method='POST', path=CLIENTS_PATH + '$', status=503, lose_response=True)
    control.fault(method='GET', path=CLIENTS_PATH + '$', status=500, after=1, count=5, message='listing down')
    with pytest.raises(GenesysError) as caught:
        _client_set.ensure_client_set(module)
    [outcome] = caught.value.result['clients']
    assert outcome['action'] == 'failed' and 'may have been created' in outcome['msg'] and 'listing down' in outcome['msg']
    assert 'genesys.cloud.oauth_client_secret with name: lost, return_secret: true, and register its result' in outcome['msg'], outcome['msg']
    assert secret_posts(control) == []
