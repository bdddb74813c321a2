"""The emulator's organisation (store.py) answers like the real API: logins, the rules for clients and their error
bodies, roles, divisions, scopes, authorizations, rotation and integration credentials."""


import requests

from emulator_control import assert_error
from genesys_emulator.seed import EMPLOYEE_ROLE_ID, HOME_DIVISION_ID
from sdk_models import json_fields  # pylint: disable=import-error

CLIENTS = '/api/v2/oauth/clients'
CREDENTIALS = '/api/v2/integrations/credentials'


def test_token_requires_valid_client_credentials(control):
    url = control.url + '/oauth/token'
    good = requests.post(url, auth=('emulator-admin', 'emulator-admin-secret'), data={'grant_type': 'client_credentials'})
    assert good.status_code == 200 and good.json()['token_type'] == 'bearer' and good.json()['expires_in'] > 0
    bad = requests.post(url, auth=('emulator-admin', 'nope'), data={'grant_type': 'client_credentials'})
    assert bad.status_code == 401 and bad.json()['error'] == 'invalid_client'
    wrong_grant = requests.post(url, auth=('emulator-admin', 'emulator-admin-secret'), data={'grant_type': 'password'})
    assert wrong_grant.status_code == 400


def test_create_returns_server_side_fields(control):
    response = control.api('POST', CLIENTS, json=dict(name='n', authorizedGrantType='CLIENT-CREDENTIALS',
                                                      roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)]))
    client = response.json()
    assert response.status_code == 200
    assert client['id'] and client['secret'] and client['state'] == 'active'
    assert client['accessTokenValiditySeconds'] == 86400
    assert client['roleDivisions'] == [dict(roleId=EMPLOYEE_ROLE_ID, divisionId=HOME_DIVISION_ID)]
    assert client['selfUri'] == CLIENTS + '/' + client['id']
    assert client['dateCreated'].endswith('Z') and client['createdBy']['id'] == 'emulator-admin'


def test_validation_answers_400_with_a_genesys_body(control):
    cases = [
        dict(authorizedGrantType='CODE'),
        dict(name='n', authorizedGrantType='IMPLICIT'),
        dict(name='n', authorizedGrantType='CODE', accessTokenValiditySeconds=299),
        dict(name='n', authorizedGrantType='CODE', accessTokenValiditySeconds=172801),
        dict(name='n', authorizedGrantType='CODE', registeredRedirectUri=['no scheme']),
        dict(name='n', authorizedGrantType='CODE', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)]),
        dict(name='n', authorizedGrantType='CLIENT-CREDENTIALS', scope=['users']),
        dict(name='n', authorizedGrantType='CLIENT-CREDENTIALS', roleDivisions=[dict(roleId='unknown')]),
        dict(name='n', authorizedGrantType='CLIENT-CREDENTIALS', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId='x')]),
        dict(name='n', authorizedGrantType='CODE', scope=['no.such.scope']),
        dict(name='n', authorizedGrantType='CODE', state='disabled'),
    ]
    for body in cases:
        assert_error(control.api('POST', CLIENTS, json=body), 400, 'invalid.value')
    assert_error(control.api('POST', CLIENTS, data='{not json', headers={'Content-Type': 'application/json'}),
                 400, 'bad.request')


def test_unknown_ids_answer_404(control):
    for method in ('GET', 'PUT', 'DELETE'):
        body = assert_error(control.api(method, CLIENTS + '/missing', json=dict(name='n', authorizedGrantType='CODE')),
                            404, 'not.found')
        assert 'missing' in body['message']
    assert_error(control.api('GET', '/api/v2/nothing/here'), 404, 'not.found')


def test_put_replaces_the_whole_client_and_moves_date_modified(control):
    client = control.create_client(name='n', authorizedGrantType='CODE', description='d',
                                   registeredRedirectUri=['https://a/cb'])
    updated = control.api('PUT', CLIENTS + '/' + client['id'], json=dict(name='m', authorizedGrantType='CODE')).json()
    assert updated['name'] == 'm' and 'description' not in updated and updated['registeredRedirectUri'] == []
    assert updated['dateModified'] > client['dateModified'] and updated['dateCreated'] == client['dateCreated']
    assert 'secret' not in updated and control.client_secret(client['id']) == client['secret']


def test_delete_needs_inactive_and_lingers_as_deleted(control):
    client = control.create_client(name='n', authorizedGrantType='CODE')
    path = CLIENTS + '/' + client['id']
    assert_error(control.api('DELETE', path), 400, 'cannot.delete.client')
    control.api('PUT', path, json=dict(name='n', authorizedGrantType='CODE', state='inactive'))
    assert control.api('DELETE', path).status_code == 204
    assert control.api('GET', path).json()['state'] == 'deleted'
    assert_error(control.api('GET', path), 404, 'not.found')
    assert [c['id'] for c in control.api('GET', CLIENTS).json()['entities']] == ['emulator-admin']


def test_inactive_clients_cannot_log_in(control):
    client = control.create_client(name='n', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    assert control.token(client['id'], client['secret'])
    control.api('PUT', CLIENTS + '/' + client['id'], json=dict(name='n', authorizedGrantType='CLIENT-CREDENTIALS',
                                                               state='inactive'))
    response = requests.post(control.url + '/oauth/token', auth=(client['id'], client['secret']),
                             data={'grant_type': 'client_credentials'})
    assert response.status_code == 401


def test_divisions_and_roles(control):
    assert control.api('GET', '/api/v2/authorization/divisions/home').json()['id'] == HOME_DIVISION_ID
    roles = control.api('GET', '/api/v2/authorization/roles').json()['entities']
    assert EMPLOYEE_ROLE_ID in [role['id'] for role in roles]


def test_scopes_follow_accept_language(control):
    german = control.api('GET', '/api/v2/oauth/scopes', headers={'Accept-Language': 'de-DE,de;q=0.9'}).json()
    assert german['total'] == len(german['entities']) and german['entities'][0]['description']
    one = control.api('GET', '/api/v2/oauth/scopes/users', headers={'Accept-Language': 'de'}).json()
    assert one['description'] == 'Benutzer verwalten'
    fallback = control.api('GET', '/api/v2/oauth/scopes/users', headers={'Accept-Language': 'fr-fr'}).json()
    assert fallback['description'] == 'Manage users'
    assert_error(control.api('GET', '/api/v2/oauth/scopes/nope'), 404, 'not.found')


def test_authorizations(control):
    client = control.create_client(name='web', authorizedGrantType='CODE', scope=['users'])
    assert control.api('GET', '/api/v2/oauth/authorizations').json()['entities'] == []
    control.http.post(control.url + '/__emulator/authorizations', json=dict(clientId=client['id'], state='Requested'))
    one = control.api('GET', '/api/v2/oauth/authorizations/' + client['id']).json()
    assert one['state'] == 'Requested' and one['pending'] is True and one['client']['id'] == client['id']
    assert 'secret' not in one['client']
    assert_error(control.api('GET', '/api/v2/oauth/authorizations/nope'), 404, 'not.found')


def test_rotation_stops_the_old_secret_and_its_tokens_at_once(control):
    client = control.create_client(name='n', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    token = control.token(client['id'], client['secret'])
    rotated = control.api('POST', CLIENTS + '/' + client['id'] + '/secret').json()
    assert rotated['secret'] != client['secret'] and rotated['dateModified'] > client['dateModified']
    old = requests.post(control.url + '/oauth/token', auth=(client['id'], client['secret']),
                        data={'grant_type': 'client_credentials'})
    assert old.status_code == 401
    assert control.token(client['id'], rotated['secret'])
    assert_error(requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + token}), 401, 'bad.credentials')
    assert_error(control.api('POST', CLIENTS + '/missing/secret'), 404, 'not.found')


def test_integration_credentials(control):
    path = '/api/v2/integrations/credentials'
    body = dict(name='actions', type=dict(name='pureCloudOAuthClient'),
                credentialFields=dict(clientId='abc', clientSecret='s1'))
    created = control.api('POST', path, json=body).json()
    assert created['type']['name'] == 'pureCloudOAuthClient' and 'credentialFields' not in created
    read = control.api('GET', path + '/' + created['id']).json()
    assert read['credentialFields'] == dict(clientId='abc')  # secret fields are never shown
    updated = control.api('PUT', path + '/' + created['id'], json=dict(body, credentialFields=dict(
        clientId='abc', clientSecret='s2'))).json()
    assert updated['modifiedDate'] > created['modifiedDate']
    fields = control.http.get(control.url + '/__emulator/credentials/%s/fields' % created['id']).json()
    assert fields['clientSecret'] == 's2'
    listing = control.api('GET', path).json()
    assert listing['total'] == 1 and listing['entities'][0]['name'] == 'actions'
    for bad in (dict(body, name=''), dict(body, type=dict(name='nope')),
                dict(body, credentialFields=dict(clientId='abc'))):
        assert_error(control.api('POST', path, json=bad), 400, 'invalid.value')
    assert_error(control.api('PUT', path + '/missing', json=body), 404, 'not.found')
    assert control.api('DELETE', path + '/' + created['id']).status_code == 204
    assert_error(control.api('GET', path + '/' + created['id']), 404, 'not.found')


def test_a_new_client_can_be_unknown_to_reads_by_id_for_a_while(control):
    control.configure(create_lag_reads=2)
    created = control.create_client(name='lagging', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    assert [control.get_client(created['id']).status_code for _attempt in range(3)] == [404, 404, 200]
    listing = control.api('GET', CLIENTS).json()
    assert created['id'] in [client['id'] for client in listing['entities']]


def test_added_enum_values_stand_for_a_newer_api(control):
    body = dict(name='tv', authorizedGrantType='DEVICE-CODE')
    assert_error(control.api('POST', CLIENTS, json=body), 400, 'invalid.value')
    control.configure(added_enum_values=dict(authorizedGrantType=['DEVICE-CODE']))
    assert control.api('POST', CLIENTS, json=body).status_code == 200


ALLOWLIST = dict(allowedIpAddresses='list[str]')


def test_added_client_fields_stand_for_a_newer_api_whose_put_replaces_them_too(control):
    body = dict(name='cc', authorizedGrantType='CLIENT-CREDENTIALS', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.configure(strict=True)
    answer = assert_error(control.api('POST', CLIENTS, json=dict(body, allowedIpAddresses=['10.0.0.0/8'])), 400, 'bad.request')
    assert 'Unrecognized field "allowedIpAddresses"' in answer['message']
    control.configure(added_client_fields=ALLOWLIST)
    created = control.create_client(allowedIpAddresses=['10.0.0.0/8'], **body)
    path = CLIENTS + '/' + created['id']
    assert created['allowedIpAddresses'] == ['10.0.0.0/8']
    assert control.api('GET', path).json()['allowedIpAddresses'] == ['10.0.0.0/8']
    assert control.api('GET', CLIENTS).json()['entities'][-1]['allowedIpAddresses'] == ['10.0.0.0/8']
    # Strict mode checks an added field's type as it checks the SDK's fields, and still refuses unknown ones.
    answer = assert_error(control.api('PUT', path, json=dict(body, allowedIpAddresses='10.0.0.0/8')), 400, 'bad.request')
    assert 'allowedIpAddresses must be a list' in answer['message']
    assert_error(control.api('PUT', path, json=dict(body, colour='blue')), 400, 'bad.request')
    # PUT replaces the whole client: a body without the field deletes it, as the real API's would.
    updated = control.api('PUT', path, json=dict(body, description='no allowlist sent')).json()
    assert 'allowedIpAddresses' not in updated and 'allowedIpAddresses' not in control.api('GET', path).json()


def test_added_client_fields_are_checked_when_configured(control):
    for bad, text in ((dict(allowedIpAddresses='ip list'), 'must be one of'), (['allowedIpAddresses'], 'must map'),
                      (dict(scope='list[str]'), "a field of the SDK's OAuthClient already")):
        answer = control.http.post(control.url + '/__emulator/config', json=dict(added_client_fields=bad))
        assert answer.status_code == 400 and text in answer.json()['message'], answer.text
    assert control.config()['added_client_fields'] == {}


def test_a_secret_is_shown_only_by_the_create_and_the_regeneration(control):
    created = control.create_client(name='s', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    assert created['secret']
    path = CLIENTS + '/' + created['id']
    reads = [control.api('GET', path).json(), control.api('GET', CLIENTS).json()['entities'][-1],
             control.api('PUT', path, json=dict(name='s2', authorizedGrantType='CLIENT-CREDENTIALS',
                                                roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])).json()]
    assert all('secret' not in read for read in reads) and reads[1]['id'] == created['id']
    regenerated = control.api('POST', path + '/secret').json()
    assert regenerated['secret'] and regenerated['secret'] != created['secret']
    assert control.client_secret(created['id']) == regenerated['secret']


def test_a_credential_read_by_id_has_no_times_and_the_listing_and_writes_have_them(control):
    body = dict(name='actions', type=dict(name='pureCloudOAuthClient'), credentialFields=dict(clientId='abc', clientSecret='s1'))
    created = control.api('POST', CREDENTIALS, json=body).json()
    read = control.api('GET', CREDENTIALS + '/' + created['id']).json()
    assert set(read) <= set(json_fields('Credential')) and 'modifiedDate' not in read
    assert read['credentialFields'] == dict(clientId='abc')
    listed = control.api('GET', CREDENTIALS).json()['entities'][0]
    updated = control.api('PUT', CREDENTIALS + '/' + created['id'], json=body).json()
    for answer in (created, listed, updated):
        assert set(answer) <= set(json_fields('CredentialInfo')) and answer['modifiedDate']
    assert listed['modifiedDate'] == created['modifiedDate'] < updated['modifiedDate']
