"""oauth_client_info, oauth_scope_info and oauth_authorization_info against the emulator."""

import json

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import task


def api_gets(control, path):
    return [r for r in control.requests() if r['method'] == 'GET' and r['path'] == path]


@pytest.mark.smoke
def test_client_info_reads_every_page_once_and_never_a_secret(playbook, control):
    made = [control.create_client(name='c%d' % n, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)]) for n in range(4)]
    made.append(control.create_client(name='web', authorizedGrantType='CODE', scope=['users']))
    control.configure(max_page_size=2)
    control.clear_requests()
    run = playbook([task('all', 'oauth_client_info')], check=True, verbosity=3)
    assert run.status('all') == 'ok', run.output
    clients = run['all']['clients']
    assert sorted(c['name'] for c in clients) == ['Emulator admin', 'c0', 'c1', 'c2', 'c3', 'web']
    assert len(api_gets(control, '/api/v2/oauth/clients')) == 3  # 6 clients, 2 a page: one walk
    assert not [r for r in control.requests() if r['path'] != '/oauth/token' and r['method'] != 'GET']
    assert all('secret' not in c for c in clients)
    for client in made:
        assert client['secret'] not in run.output
    web = [c for c in clients if c['name'] == 'web'][0]
    assert web['grant_type'] == 'code' and web['scopes'] == ['users'] and web['roles'] == []


def test_client_info_by_id_is_one_get(playbook, control):
    client = control.create_client(name='one', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([task('one', 'oauth_client_info', client_id=client['id'])])
    assert [c['id'] for c in run['one']['clients']] == [client['id']]
    api_calls = [r for r in control.requests() if r['path'] != '/oauth/token']
    assert [(r['method'], r['path']) for r in api_calls] == [('GET', '/api/v2/oauth/clients/' + client['id'])]
    assert run['one']['clients'][0]['roles'][0]['role_id'] == EMPLOYEE_ROLE_ID


def test_client_info_missing_id(playbook, control):
    run = playbook([task('missing', 'oauth_client_info', client_id='nope'),
                    task('must exist', 'oauth_client_info', client_id='nope', fail_on_missing=True)])
    assert run.status('missing') == 'ok' and run['missing']['clients'] == []
    assert run.status('must exist') == 'failed' and "'nope'" in run['must exist']['msg']


def test_client_info_filters(playbook, control):
    first = control.create_client(name='twin', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    second = control.create_client(name='twin', authorizedGrantType='CODE', state='inactive')
    control.create_client(name='other', authorizedGrantType='TOKEN')
    run = playbook([
        task('by name', 'oauth_client_info', name='twin'),
        task('by grant', 'oauth_client_info', grant_type='code'),
        task('by state', 'oauth_client_info', state='inactive'),
        task('combined', 'oauth_client_info', name='twin', grant_type='client_credentials', state='active'),
        task('bad state', 'oauth_client_info', state='deleted'),
    ])
    assert sorted(c['id'] for c in run['by name']['clients']) == sorted([first['id'], second['id']])
    assert [c['id'] for c in run['by grant']['clients']] == [second['id']]
    assert [c['id'] for c in run['by state']['clients']] == [second['id']]
    assert [c['id'] for c in run['combined']['clients']] == [first['id']]
    assert run.status('bad state') == 'failed' and 'active, inactive, disabled' in run['bad state']['msg']


@pytest.mark.smoke
def test_scope_info_in_two_languages(playbook, control):
    run = playbook([task('en', 'oauth_scope_info'), task('de', 'oauth_scope_info', language='de-de'),
                    task('one', 'oauth_scope_info', scope_id='users:readonly', language='de-de'),
                    task('unknown', 'oauth_scope_info', scope_id='no:such'),
                    task('unknown must exist', 'oauth_scope_info', scope_id='no:such', fail_on_missing=True)],
                   check=True)
    english = {s['id']: s['description'] for s in run['en']['scopes']}
    german = {s['id']: s['description'] for s in run['de']['scopes']}
    assert english['users:readonly'] == 'View users' and german['users:readonly'] == 'Benutzer anzeigen'
    assert set(english) == set(german) and len(english) >= 10
    assert run['one']['scopes'] == [dict(id='users:readonly', description='Benutzer anzeigen')]
    assert run['unknown']['scopes'] == []
    assert run.status('unknown must exist') == 'failed' and 'no:such' in run['unknown must exist']['msg']
    scope_gets = [r for r in control.requests() if r['path'].startswith('/api/v2/oauth/scopes')]
    assert [r['path'] for r in scope_gets] == ['/api/v2/oauth/scopes'] * 2 + [
        '/api/v2/oauth/scopes/users%3Areadonly', '/api/v2/oauth/scopes/no%3Asuch', '/api/v2/oauth/scopes/no%3Asuch']


@pytest.mark.smoke
def test_authorization_info(playbook, control):
    web = control.create_client(name='web', authorizedGrantType='CODE', scope=['users:readonly'])
    other = control.create_client(name='other', authorizedGrantType='TOKEN', scope=['analytics'])
    for client_id, state in ((web['id'], 'Authorized'), (other['id'], 'Revoked')):
        control.http.post(control.url + '/__emulator/authorizations',
                          json=dict(clientId=client_id, state=state)).raise_for_status()
    run = playbook([task('all', 'oauth_authorization_info', language='de-de'),
                    task('one', 'oauth_authorization_info', client_id=web['id']),
                    task('none', 'oauth_authorization_info', client_id='nope'),
                    task('none must exist', 'oauth_authorization_info', client_id='nope', fail_on_missing=True)])
    states = {a['client']['name']: a['state'] for a in run['all']['authorizations']}
    assert states == {'web': 'Authorized', 'other': 'Revoked'}
    one = run['one']['authorizations']
    expected_client = dict(id=web['id'], name='web', description=None, grant_type='code', state='active')
    assert len(one) == 1 and one[0]['client'] == expected_client
    assert one[0]['scopes'] == ['users:readonly'] and one[0]['pending'] is False
    assert run['none']['authorizations'] == [] and run.status('none must exist') == 'failed'
    assert json.dumps(run['all']).count(web['secret']) == 0
