"""Issue 17, case 21: API answers read type-checked, by Answer and by every reader of an answer."""

import pytest

from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_reads import get_client, list_clients
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.client_model import from_api
from ansible_collections.genesys.cloud.plugins.module_utils._api.http_client import (
    Answer, ApiClient, GenesysApiError, as_answer)
from ansible_collections.genesys.cloud.plugins.module_utils._oauth.scopes_and_authorizations import authorization_from_api, scope_from_api
from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import run_usage_query
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET

CLIENTS = '/api/v2/oauth/clients'


def api_for(emulator):
    return ApiClient(emulator.url, emulator.url, client_id=ADMIN_CLIENT_ID, client_secret=ADMIN_CLIENT_SECRET, timeout=5,
                     sleep=lambda seconds: None)


def failure(call):
    with pytest.raises(GenesysApiError) as caught:
        call()
    return caught.value


# Case 21: Answer.

def sourced(value, place=''):
    return as_answer(value, 'GET', '/api/v2/things/1', 200, place)


@pytest.mark.parametrize('body, read, message', [
    (dict(name=5), lambda a: a.text('name'), 'name is a number, not a string'),
    (dict(name=True), lambda a: a.text('name'), 'name is a boolean, not a string'),
    (dict(), lambda a: a.text('id', required=True), 'id is missing'),
    (dict(id=''), lambda a: a.text('id', required=True), 'id is missing'),
    (dict(n=True), lambda a: a.number('n'), 'n is a boolean, not a number'),
    (dict(n='5'), lambda a: a.number('n'), 'n is a string, not a number'),
    (dict(p='yes'), lambda a: a.flag('p'), 'p is a string, not a boolean'),
    (dict(o=[]), lambda a: a.object('o'), 'o is a list, not an object'),
    (dict(s='abc'), lambda a: a.strings('s'), 's is a string, not a list'),
    (dict(s=['a', None]), lambda a: a.strings('s'), 's[1] is null, not a string'),
    (dict(e=dict(a=1)), lambda a: a.objects('e'), 'e is an object, not a list'),
    (dict(e=[{}, 'x']), lambda a: a.objects('e'), 'e[1] is a string, not an object'),
    (dict(e=[dict(ref=dict(id=3))]), lambda a: a.objects('e')[0].object('ref').text('id'), 'e[0].ref.id is a number'),
])
def test_a_field_of_the_wrong_type_names_the_request_and_the_field(body, read, message):
    error = failure(lambda: read(sourced(body)))
    assert str(error).startswith('malformed API answer: ' + message)
    assert str(error).endswith('on GET /api/v2/things/1')
    assert error.as_dict()['path'] == '/api/v2/things/1' and error.status == 200


def test_absent_and_null_fields_read_as_nothing_and_unknown_fields_are_ignored():
    answer = sourced(dict(name=None, extra=dict(any=[1, 'x'])))
    assert answer.text('name') is None and answer.number('n') is None and answer.flag('p') is None
    assert answer.object('o') is None and answer.strings('s') == [] and answer.objects('e') == []
    assert sourced(dict(n=1.5)).number('n') == 1.5


def test_an_answer_that_is_not_an_object_is_malformed():
    assert 'the answer is a list, not an object' in str(failure(lambda: sourced([1])))
    assert 'entities[0] is a string' in str(failure(lambda: sourced('x', 'entities[0]')))
    # A plain dict (data built locally) is read the same way, naming no request.
    error = failure(lambda: as_answer(dict(id=5)).text('id'))
    assert 'malformed API answer: id is a number, not a string' in str(error) and error.method is None
    answer = Answer()
    assert answer == {} and answer.method is None  # Ansible rebuilds result dicts with type(value)()


def test_every_json_object_of_an_answer_is_read_type_checked(emulator, control):
    api = api_for(emulator)
    control.fault(method='GET', path=CLIENTS + '/x$', body=[dict(id='x')])
    error = failure(lambda: api.get(CLIENTS + '/x'))
    assert 'the answer is a list, not an object' in str(error) and error.path == CLIENTS + '/x'
    control.fault(method='GET', path=CLIENTS + '/x$', body='"text"')
    assert 'the answer is a string, not an object' in str(failure(lambda: api.get(CLIENTS + '/x')))
    control.fault(method='GET', path=CLIENTS + '/x$', body='null')
    assert 'the answer is null, not an object' in str(failure(lambda: api.get(CLIENTS + '/x')))
    answer = api.get(CLIENTS + '/' + ADMIN_CLIENT_ID)
    assert isinstance(answer, Answer) and (answer.method, answer.path, answer.status) == ('GET', CLIENTS + '/' + ADMIN_CLIENT_ID, 200)


@pytest.mark.parametrize('page, message', [
    (dict(entities='abc'), 'entities is a string, not a list'),
    (dict(entities=[5]), 'entities[0] is a number, not an object'),
    (dict(entities=[dict(id=['a'])]), 'entities[0].id is a list, not a string'),
    (dict(entities=[dict(id='a')], nextUri=5), 'nextUri is a number, not a string'),
])
def test_a_malformed_listing_page_names_the_field(emulator, control, page, message):
    control.fault(method='GET', path=CLIENTS + '$', body=page)
    error = failure(lambda: list(api_for(emulator).paginate(CLIENTS)))
    assert message in str(error) and error.method == 'GET' and error.path == CLIENTS


def test_a_malformed_later_page_names_its_uri(emulator, control):
    for number in range(3):
        control.create_client(name='c%d' % number, authorizedGrantType='TOKEN')
    control.configure(max_page_size=2)
    control.fault(method='GET', path=CLIENTS + '$', after=1, body=dict(entities=[dict(id='x', scope=5)]))
    error = failure(lambda: list_clients(api_for(emulator)))
    assert 'entities[0].scope is a number, not a list' in str(error)
    assert error.path.startswith(CLIENTS + '?') and 'pageNumber=2' in error.path


def test_clients_are_checked_where_they_are_read(emulator, control):
    made = control.create_client(name='one', authorizedGrantType='CODE')
    control.fault(method='GET', path=CLIENTS + '/' + made['id'], body=dict(made, registeredRedirectUri=['https://a', 5]))
    error = failure(lambda: get_client(api_for(emulator), made['id']))
    assert 'registeredRedirectUri[1] is a number, not a string' in str(error) and error.path == CLIENTS + '/' + made['id']
    control.fault(method='GET', path=CLIENTS + '$', body=dict(entities=[dict(made, createdBy='x')]))
    assert 'entities[0].createdBy is a string, not an object' in str(failure(lambda: list_clients(api_for(emulator))))
    # Well formed, it reads as before.
    assert get_client(api_for(emulator), made['id'])['id'] == made['id']


def test_from_api_reads_nulls_unknown_fields_and_values():
    client = from_api(dict(id='a', name=None, authorizedGrantType='NEW', state='archived', roleDivisions=None,
                           registeredRedirectUri=None, scope=None, createdBy=None, accessTokenValiditySeconds=None,
                           something=dict(new=True)))
    assert client['id'] == 'a' and client['grant_type'] == 'NEW' and client['state'] == 'archived'
    assert client['roles'] == [] and client['redirect_uris'] == [] and client['scopes'] == [] and client['created_by'] is None
    assert 'roleDivisions[0].roleId is missing' in str(failure(lambda: from_api(dict(id='a', roleDivisions=[dict(divisionId='*')]))))


def test_scopes_and_authorizations_are_read_type_checked():
    assert scope_from_api(dict(id='users', description='Users')) == dict(id='users', description='Users')
    assert 'description is a list' in str(failure(lambda: scope_from_api(dict(id='users', description=['x']))))
    assert 'roles[1] is a number, not a string' in str(failure(lambda: authorization_from_api(dict(roles=['a', 1]))))
    assert 'client is a string, not an object' in str(failure(lambda: authorization_from_api(dict(client='x'))))
    assert 'pending is a string, not a boolean' in str(failure(lambda: authorization_from_api(dict(pending='no'))))
    read = authorization_from_api(dict(client=dict(id='c', authorizedGrantType='CODE'), scope=['b', 'a'], pending=False))
    assert read['client']['grant_type'] == 'code' and read['scopes'] == ['a', 'b'] and read['pending'] is False


def test_usage_answers_are_read_type_checked(emulator, control):
    params = dict(summary=True, days=7, wait_timeout=5, poll_interval=0.01)
    summary = '%s/%s/usage/summary' % (CLIENTS, ADMIN_CLIENT_ID)
    control.fault(method='GET', path=summary + '$', body=dict(executionId='x', resultsUri=5))
    error = failure(lambda: run_usage_query(api_for(emulator), ADMIN_CLIENT_ID, params, sleep=lambda seconds: None))
    assert 'resultsUri is a number, not a string' in str(error) and error.path == summary
    control.fault(method='GET', path='/usage/query/results/', body=dict(queryStatus='Complete', results=[dict(requests=1), 'x']))
    error = failure(lambda: run_usage_query(api_for(emulator), ADMIN_CLIENT_ID, params, sleep=lambda seconds: None))
    assert 'results[1] is a string, not an object' in str(error)


def test_an_empty_answer_to_a_read_is_malformed_not_none(emulator, control):
    """Read as None, an empty answer to GET of a client would be 'no such client', and a create would follow."""
    made = control.create_client(name='one', authorizedGrantType='CODE')
    control.fault(method='GET', path='%s/%s$' % (CLIENTS, made['id']), body='')
    error = failure(lambda: get_client(api_for(emulator), made['id']))
    assert str(error) == 'malformed API answer: the answer is empty (HTTP 200) on GET %s/%s' % (CLIENTS, made['id'])


# The readers the review of issue 17 found still reading fields with .get: each names the field now.

class ListingApi:
    """Answers every listing with the entities given and every GET with the answer given, as the client would."""

    def __init__(self, entities, answer=None):
        self.entities, self.answer = entities, answer

    def paginate(self, path, params=None):
        return [sourced(entity, 'entities[%d]' % index) for index, entity in enumerate(self.entities)]

    def get(self, path, params=None):
        return sourced(self.answer)


def test_the_remaining_readers_name_the_malformed_field():
    from ansible_collections.genesys.cloud.plugins.module_utils._oauth.roles_and_divisions import NameResolver
    from ansible_collections.genesys.cloud.plugins.module_utils._secrets.integration_credentials import find_credential
    from ansible_collections.genesys.cloud.plugins.module_utils._secrets.delivery import plan_delivery
    from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.usage import row_from_api

    assert 'entities[0].type is a string, not an object' in str(failure(
        lambda: find_credential(ListingApi([dict(id='c1', name='cred', type='abc')]), 'cred')))
    credential = dict(id='c1', name='cred', type=dict(name='pureCloudOAuthClient'))
    assert 'credentialFields is a string, not an object' in str(failure(lambda: plan_delivery(
        ListingApi([credential], dict(id='c1', credentialFields='zz')), dict(integration_credential='cred'), 'x', None)))
    assert 'entities[0].id is missing' in str(failure(
        lambda: NameResolver(ListingApi([dict(name='Developer')])).with_ids([dict(role='Developer')])))
    assert 'requests is a string, not a number' in str(failure(lambda: row_from_api(sourced(dict(requests='12')))))
    assert row_from_api(sourced(dict(requests=12, date='2026-12-01')))['requests'] == 12


def test_a_login_answer_with_a_huge_lifetime_is_a_token_without_expiry(emulator, control):
    control.fault(method='POST', path='^/oauth/token$', body='{"access_token": "t0k", "expires_in": 1e400}')
    assert api_for(emulator).login() == dict(access_token='t0k', expires_in=None)
