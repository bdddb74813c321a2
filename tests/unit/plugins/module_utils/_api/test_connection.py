"""Connection options: how the login method is chosen, checks before any request, and the client built from them."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api import connection as _connection
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError

ENV_CREDENTIALS = dict(GENESYSCLOUD_OAUTHCLIENT_ID='env-id', GENESYSCLOUD_OAUTHCLIENT_SECRET='env-secret')


def options(**given):
    params = {name: spec.get('default') for name, spec in _connection.CONNECTION_ARGUMENT_SPEC.items()}
    params.update(given)
    return params


def test_argument_spec_adds_module_options_and_keeps_secrets_no_log():
    spec = _connection.genesys_argument_spec(name=dict(type='str'))
    assert 'name' in spec and 'region' in spec and 'ca_path' in spec and 'id_lookup_wait' in spec
    assert spec['auth_client_secret']['no_log'] and spec['auth_token']['no_log']
    spec['timeout']['default'] = 1
    assert _connection.CONNECTION_ARGUMENT_SPEC['timeout']['default'] == 30.0


def test_task_token_wins_over_client_credentials_in_the_environment():
    login = _connection.resolve_login(options(auth_token='task-token'), ENV_CREDENTIALS)
    assert login == dict(auth_token='task-token', auth_client_id=None, auth_client_secret=None)


def test_task_client_id_takes_the_secret_from_the_environment_and_ignores_an_environment_token():
    env = dict(ENV_CREDENTIALS, GENESYSCLOUD_ACCESS_TOKEN='env-token')
    login = _connection.resolve_login(options(auth_client_id='task-id'), env)
    assert login == dict(auth_client_id='task-id', auth_client_secret='env-secret', auth_token=None)


def test_environment_alone_decides_token_before_credentials():
    assert _connection.resolve_login(options(), ENV_CREDENTIALS)['auth_client_id'] == 'env-id'
    env = dict(ENV_CREDENTIALS, GENESYSCLOUD_ACCESS_TOKEN='env-token')
    assert _connection.resolve_login(options(), env) == dict(auth_token='env-token', auth_client_id=None,
                                                             auth_client_secret=None)


@pytest.mark.parametrize('given,environ,expected', [
    (dict(), {}, 'authentication is required'),
    (dict(auth_client_id='id'), {}, 'auth_client_secret (or GENESYSCLOUD_OAUTHCLIENT_SECRET) is required'),
    (dict(auth_token='t', auth_client_id='id'), {}, 'mutually exclusive'),
    (dict(auth_token=''), ENV_CREDENTIALS, 'auth_token (or GENESYSCLOUD_ACCESS_TOKEN) is empty'),
    (dict(), dict(GENESYSCLOUD_OAUTHCLIENT_ID='', GENESYSCLOUD_OAUTHCLIENT_SECRET='s'), 'auth_client_id (or GENESYSCLOUD_OAUTHCLIENT_ID) is empty'),
])
def test_login_that_cannot_work_is_refused(given, environ, expected):
    with pytest.raises(InputError) as caught:
        _connection.resolve_login(options(**given), environ)
    assert expected in str(caught.value)


@pytest.mark.parametrize('given,expected', [
    (dict(timeout=0), 'timeout must be a positive'),
    (dict(max_retries=-1), 'max_retries must be 0 or more'),
    (dict(id_lookup_wait=-1), 'id_lookup_wait must be 0 or more'),
    (dict(region='nowhere'), 'region must be one of'),
    (dict(region=''), 'region is empty'),
    (dict(api_url=''), 'api_url is empty'),
    (dict(api_url='  '), 'api_url is empty'),
    (dict(api_url='http://[::1'), 'api_url must be an absolute http(s) URL'),
    (dict(api_url='http://host:port'), 'api_url must be an absolute http(s) URL'),
    (dict(ca_path='/no/such/bundle.pem'), 'ca_path /no/such/bundle.pem does not exist'),
])
def test_bad_connection_options_are_refused(given, expected):
    with pytest.raises(InputError) as caught:
        _connection.check_connection_options(options(**given))
    assert expected in str(caught.value)


def test_client_from_region():
    api = _connection.api_client_from_options(options(auth_client_id='id', auth_client_secret='s', region='mypurecloud.de'))
    assert (api.api_base, api.login_base) == ('https://api.mypurecloud.de', 'https://login.mypurecloud.de')
    assert api.retry.max_retries == 5 and api.timeout == 30.0 and api.not_found_wait == 5.0
    assert api.verify is True


def test_verify_follows_validate_certs_and_ca_path(tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    assert _connection.api_client_from_options(options(auth_token='t', ca_path=str(bundle))).verify == str(bundle)
    assert _connection.api_client_from_options(options(auth_token='t', ca_path=str(bundle), validate_certs=False)).verify is False


def test_connection_params_resolve_as_a_module_does():
    """A plugin that is not a module gets the modules' types, defaults, environment fallbacks, login and location rules."""
    params = _connection.connection_params(dict(timeout='7', max_retries=None),
                                           dict(ENV_CREDENTIALS, GENESYSCLOUD_REGION='eu-west-1'))
    assert params['region'] == 'eu-west-1' and params['timeout'] == 7.0 and params['max_retries'] == 5
    assert params['auth_client_id'] == 'env-id' and params['auth_client_secret'] == 'env-secret'
    assert _connection.api_client_from_options(params).api_base == 'https://api.mypurecloud.ie'
    given = _connection.connection_params(dict(region='us-west-2', auth_token='file-token'), ENV_CREDENTIALS)
    assert given['region'] == 'us-west-2' and given['auth_token'] == 'file-token' and given['auth_client_id'] is None


@pytest.mark.parametrize('given, message', [
    (dict(regoin='x'), 'orgs[0]: unknown connection option regoin'),
    (dict(timeout='soon'), 'orgs[0]: '),
    (dict(timeout=0, auth_token='t'), 'orgs[0]: timeout must be a positive number'),
    (dict(auth_client_id='id-only'), 'orgs[0]: auth_client_secret (or GENESYSCLOUD_OAUTHCLIENT_SECRET) is required'),
])
def test_connection_params_refuse_what_cannot_work(given, message):
    with pytest.raises(InputError) as failure:
        _connection.connection_params(given, {}, where='orgs[0]: ')
    assert str(failure.value).startswith(message)
