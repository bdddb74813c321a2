"""genesys.cloud.oauth_client_info against the emulator: listings and reads by id, filters, the wait for a new
client's id, and malformed answers that end in a message naming the field."""


import pytest

from genesys_emulator import ADMIN_CLIENT_ID
from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import MALFORMED_LISTINGS, client_entity, task

CLIENTS = '/api/v2/oauth/clients'


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


def test_client_info_returns_unknown_fields_under_extra_and_flags_the_retiring_implicit_grant(playbook, control):
    control.configure(added_client_fields=dict(allowedIpAddresses='list[str]'))
    control.create_client(name='cc', allowedIpAddresses=['203.0.113.0/24'], roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.create_client(name='spa', authorizedGrantType='TOKEN', registeredRedirectUri=['https://spa.example.com/cb'])
    run = playbook([task('all', 'oauth_client_info'), {'name': 'allowlist', 'ansible.builtin.debug': {
        'msg': "{{ out.clients | selectattr('name', '==', 'cc') | map(attribute='extra.allowedIpAddresses') | first }}"}}])
    clients = {client['name']: client for client in run['all']['clients']}
    assert clients['cc']['extra'] == dict(allowedIpAddresses=['203.0.113.0/24']) and clients['spa']['extra'] == {}
    assert run['allowlist']['msg'] == ['203.0.113.0/24']
    assert {name: client['deprecated_grant'] for name, client in clients.items()} == {
        'Emulator admin': False, 'cc': False, 'spa': True}


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


def test_a_read_by_id_right_after_a_create_rides_out_the_404s(playbook, control):
    control.configure(create_lag_reads=2)
    run = playbook([task('create', 'oauth_client', name='fresh', grant_type='code'),
                    {'name': 'read', 'genesys.cloud.oauth_client_info': {'client_id': '{{ out.client.id }}'},
                     'register': 'read'}])
    assert run.status('read') == 'ok' and run['read']['clients'][0]['name'] == 'fresh', run.output
    gets = [r['status'] for r in control.requests() if r['method'] == 'GET' and r['path'].startswith(CLIENTS + '/')]
    assert gets == [404, 404, 200]


def test_the_404_wait_can_be_turned_off(playbook, control):
    control.configure(create_lag_reads=2)
    run = playbook([task('create', 'oauth_client', name='fresh', grant_type='code'),
                    {'name': 'read', 'genesys.cloud.oauth_client_info': {'client_id': '{{ out.client.id }}',
                                                                         'id_lookup_wait': 0}, 'register': 'read'}])
    assert run['read']['clients'] == []
    assert len([r for r in control.requests() if r['method'] == 'GET' and r['path'].startswith(CLIENTS + '/')]) == 1


# Case 21: malformed answers (helpers.MALFORMED_LISTINGS: each listing answer, and the field its message must name).

def test_malformed_listings_fail_oauth_client_info_naming_the_field(playbook, control):
    # One fault per task, taken in order: each task reads the listing once.
    for body, _message in MALFORMED_LISTINGS:
        control.fault(method='GET', path=CLIENTS + '$', body=body)
    run = playbook([{'name': 'read %d' % index, 'genesys.cloud.oauth_client_info': {}, 'register': 'out',
                     'ignore_errors': True} for index in range(len(MALFORMED_LISTINGS))], verbosity=3)
    for index, (_body, message) in enumerate(MALFORMED_LISTINGS):
        result = run['read %d' % index]
        assert run.status('read %d' % index) == 'failed', result
        assert message in result['msg'], (message, result['msg'])
        assert 'on GET %s' % CLIENTS in result['msg'] and 'malformed' in result['msg']
        assert 'unexpectedly' not in result['msg']
        assert result['api_error']['path'].startswith(CLIENTS)


def test_a_malformed_client_by_id_fails_naming_the_field(playbook, control):
    client = control.create_client(name='one', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    path = '%s/%s' % (CLIENTS, client['id'])
    control.fault(method='GET', path=path + '$', body=[dict(client, secret=None)])
    control.fault(method='GET', path=path + '$', body=dict(client, roleDivisions='zz'))
    run = playbook([{'name': 'read %d' % index, 'genesys.cloud.oauth_client_info': {'client_id': client['id']},
                     'register': 'out', 'ignore_errors': True} for index in range(2)])
    assert 'the answer is a list, not an object' in run['read 0']['msg'], run['read 0']
    assert 'roleDivisions is a string, not a list' in run['read 1']['msg'], run['read 1']
    for index in range(2):
        assert ('on GET ' + path) in run['read %d' % index]['msg']


def test_well_formed_answers_with_unknown_fields_and_nulls_still_read(playbook, control):
    """The checks refuse wrong types, not what a newer API may add, nor the nulls it sends for unset fields."""
    control.fault(method='GET', path=CLIENTS + '$', body=dict(entities=[
        client_entity(description=None, registeredRedirectUri=None, scope=None, roleDivisions=None, createdBy=None,
                      newField=dict(any='thing'), state='archived'),
        dict(id=ADMIN_CLIENT_ID, name='Emulator admin', authorizedGrantType='NEW-GRANT',
             roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId=None)])], pageNumber=1, pageCount=1))
    run = playbook([{'name': 'read', 'genesys.cloud.oauth_client_info': {}, 'register': 'out'}])
    assert run.status('read') == 'ok', run.output
    clients = {client['name']: client for client in run['read']['clients']}
    assert clients['shape']['state'] == 'archived' and clients['shape']['roles'] == []
    assert clients['Emulator admin']['grant_type'] == 'NEW-GRANT'
