"""Connection options: checks before any request, and the client built from them."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils import connection


class FailJson(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = {name: spec.get('default') for name, spec in connection.CONNECTION_ARGUMENT_SPEC.items()}
        self.params.update(params)

    def fail_json(self, **result):
        raise FailJson(result)


def test_argument_spec_adds_module_options_and_keeps_secrets_no_log():
    spec = connection.genesys_argument_spec(name=dict(type='str'))
    assert 'name' in spec and 'region' in spec
    assert spec['auth_client_secret']['no_log'] and spec['auth_token']['no_log']
    spec['region']['default'] = 'changed'
    assert connection.CONNECTION_ARGUMENT_SPEC['region']['default'] == 'us-east-1'


@pytest.mark.parametrize('params,expected', [
    (dict(), 'authentication is required'),
    (dict(auth_client_id='id'), 'authentication is required'),
    (dict(auth_token='t', auth_client_id='id'), 'mutually exclusive'),
    (dict(auth_token='t', timeout=0), 'timeout must be a positive'),
    (dict(auth_token='t', max_retries=-1), 'max_retries'),
    (dict(auth_token='t', region='nowhere'), 'region must be one of'),
])
def test_bad_connection_options_fail(params, expected):
    with pytest.raises(FailJson) as caught:
        connection.api_client_from_module(FakeModule(**params))
    assert expected in caught.value.args[0]['msg']


def test_client_from_region(monkeypatch):
    api = connection.api_client_from_module(FakeModule(auth_client_id='id', auth_client_secret='s', region='mypurecloud.de'))
    assert (api.api_base, api.login_base) == ('https://api.mypurecloud.de', 'https://login.mypurecloud.de')
    assert api.retry.max_retries == 5 and api.timeout == 30.0


def test_missing_requests_fails_with_missing_required_lib(monkeypatch):
    monkeypatch.setattr(connection, 'HAS_REQUESTS', False)
    with pytest.raises(FailJson) as caught:
        connection.api_client_from_module(FakeModule(auth_token='t'))
    assert 'Failed to import the required Python library (requests)' in caught.value.args[0]['msg']
