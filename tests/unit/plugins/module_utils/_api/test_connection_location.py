"""Promise 2 in the connection options: the location (region or api_url) is resolved like the login, so credentials
go only to the origin the task named."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._api import connection as _connection
from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import InputError

DECOY_URL = 'http://127.0.0.1:9'


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
