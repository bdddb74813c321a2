"""Issue 17, promise 4 (cases 19 and 21): API text never breaks an inventory, and a malformed API answer is a message
naming the endpoint and the field, never a traceback.

Case 19: a client's name is chosen by anyone who may create a client; an inventory of the org must survive any name.
Case 21: every API answer is shape-checked where it is read (oauth_client_info and the inventory plugin).
"""

import json

import pytest

from genesys_emulator import ADMIN_CLIENT_ID
from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import MALFORMED_LISTINGS, client_entity, group_hosts, kept_result_tasks, run_play

CLIENTS = '/api/v2/oauth/clients'


def host_of(data, client_id):
    """The host name the inventory gave the client of this id."""
    hosts = [host for host, host_vars in data['_meta']['hostvars'].items() if host_vars['genesys_client']['id'] == client_id]
    assert len(hosts) == 1, hosts
    return hosts[0]


# Case 19: names Ansible reserves or reads as patterns.

# Reserved names and the base of their host names (':' is read by patterns, so it is cleaned too).
RESERVED = dict(all='all', ungrouped='ungrouped', localhost='localhost', **{'127.0.0.1': '127.0.0.1', '::1': '__1'})


def test_clients_named_as_ansible_reserves_get_their_id_appended(inventory, control, tmp_path):
    made = {name: control.create_client(name=name, authorizedGrantType='TOKEN') for name in RESERVED}
    kept = control.create_client(name='billing-sync', authorizedGrantType='TOKEN')
    run = inventory({})
    assert run.rc == 0, run.output
    data = run.data
    for name, client in made.items():
        assert host_of(data, client['id']) == '%s_%s' % (RESERVED[name], client['id'][:8])
    assert host_of(data, kept['id']) == 'billing-sync'
    assert not set(RESERVED) & set(data['_meta']['hostvars'])
    assert group_hosts(data, 'genesys_grant_token') == sorted(
        ['billing-sync'] + ['%s_%s' % (RESERVED[name], client['id'][:8]) for name, client in made.items()])
    # Stable: the same names on the next run, whatever else is created.
    control.create_client(name='all', authorizedGrantType='CODE')
    again = inventory({}).data
    for name, client in made.items():
        assert host_of(again, client['id']) == '%s_%s' % (RESERVED[name], client['id'][:8])

    # A playbook run on the inventory file works, and localhost stays the controller, not a client.
    play = run_play(control, tmp_path, tmp_path / 'test.oauth_clients.yml', dict(tasks=[
        {'name': 'localhost', 'ansible.builtin.debug': {'msg': "{{ hostvars['localhost'].genesys_client | default('none') }}"}},
        {'name': 'hosts', 'ansible.builtin.debug': {'msg': '{{ groups.all }}'}},
        {'name': 'ungrouped', 'ansible.builtin.debug': {'msg': '{{ groups.ungrouped }}'}}]))
    assert play.rc == 0, play.output
    assert play['localhost']['msg'] == 'none'
    assert sorted(play['hosts']['msg']) == sorted(again['_meta']['hostvars'])
    assert play['ungrouped']['msg'] == []


@pytest.mark.parametrize('name, host', [
    ('a[1:3]', 'a_1_3_'),      # a range or subscript in a pattern
    ('x:y', 'x_y'),            # ':' separates patterns
    ('a,b', 'a_b'),            # ',' separates patterns
    ('web*', 'web_'),          # a glob: --limit 'web*' would mean every web host
    ('~regex', '_regex'),      # a leading ~ makes a pattern a regex
    ('!neg', '_neg'),          # leading ! and & are pattern operators
    ('@retry', '_retry'),      # --limit @file reads a file
    (' padded ', 'padded'),    # patterns are stripped
    ('tab\there', 'tab_here'),  # not printable
])
def test_names_that_patterns_cannot_address_are_cleaned_and_get_their_id(inventory, control, name, host):
    client = control.add_raw_client(name=name, authorizedGrantType='TOKEN')
    run = inventory({})
    assert run.rc == 0, run.output
    assert host_of(run.data, client['id']) == '%s_%s' % (host, client['id'][:8])


def test_names_kept_as_they_are_and_empty_names(inventory, control):
    kept = [control.add_raw_client(name=name, authorizedGrantType='TOKEN')
            for name in ('Müller sync', 'billing.export-2', 'ALL', 'Localhost', 'a-b_c (legacy)', 'x!&~@')]
    empty = control.add_raw_client(name='', authorizedGrantType='TOKEN')
    blank = control.add_raw_client(name='   ', authorizedGrantType='TOKEN')
    data = inventory({}).data
    for client in kept:
        assert host_of(data, client['id']) == client['name']
    assert host_of(data, empty['id']) == empty['id']
    assert host_of(data, blank['id']) == blank['id']


def test_a_client_named_as_a_group_of_the_source_is_renamed(inventory, control):
    """A host named as a group is read as the group by Ansible's add_child: every host of it would join."""
    clashing = {name: control.create_client(name=name, authorizedGrantType='TOKEN')
                for name in ('prod', 'genesys_state_active', 'genesys_grant_code', 'audit')}
    control.create_client(name='web', authorizedGrantType='CODE')
    run = inventory(dict(org_name='prod', groups=dict(audit='true')))
    assert run.rc == 0, run.output
    data = run.data
    renamed = {name: '%s_%s' % (name, client['id'][:8]) for name, client in clashing.items()}
    for name, client in clashing.items():
        assert host_of(data, client['id']) == renamed[name]
    assert group_hosts(data, 'genesys_grant_code') == ['web']
    assert group_hosts(data, 'genesys_state_active') == sorted(['Emulator admin', 'web'] + list(renamed.values()))
    assert group_hosts(data, 'prod') == group_hosts(data, 'audit') == sorted(['Emulator admin', 'web'] + list(renamed.values()))
    assert data['genesys_grant_token'].get('children', []) == []
    assert 'Found both group and host' not in run.output


@pytest.mark.parametrize('config, message', [
    (dict(org_name='all'), "org_name 'all' would be the group all, which Ansible reserves"),
    (dict(orgs=[dict(name='x'), dict(name='ungrouped')]), "orgs[1].name 'ungrouped' would be the group ungrouped"),
])
def test_an_org_named_as_a_reserved_group_is_refused_before_any_request(inventory, control, config, message):
    control.clear_requests()
    run = inventory(config)
    assert run.rc != 0
    assert run.says(message), run.output
    assert control.requests() == []


def test_org_names_become_safe_group_names(inventory, control):
    run = inventory(dict(org_name='EMEA prod-1'))
    assert run.rc == 0, run.output
    assert group_hosts(run.data, 'EMEA_prod_1') == ['Emulator admin']
    assert run.data['_meta']['hostvars']['Emulator admin']['genesys_org'] == 'EMEA prod-1'


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


@pytest.mark.parametrize('body, message', MALFORMED_LISTINGS, ids=[str(index) for index in range(len(MALFORMED_LISTINGS))])
def test_malformed_listings_fail_the_inventory_with_a_message_not_a_traceback(inventory, control, body, message):
    control.fault(method='GET', path=CLIENTS + '$', body=body)
    run = inventory({}, '--list', '-vvv')  # the fixture asserts that no traceback is shown
    assert run.rc != 0
    assert run.says(message), run.output
    assert run.says('on GET %s' % CLIENTS), run.output
    assert 'unexpectedly' not in run.output


def test_malformed_role_listing_fails_the_inventory_naming_the_field(inventory, control):
    control.create_client(name='worker', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, divisionId='*')])
    control.fault(method='GET', path='/api/v2/authorization/roles$', body=dict(entities=[dict(name='no id')]))
    run = inventory({}, '--list', '-vvv')
    assert run.rc != 0
    assert run.says('entities[0].id is missing'), run.output
    assert run.says('on GET /api/v2/authorization/roles'), run.output


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


def test_a_create_answered_with_a_malformed_field_still_hands_the_secret_back(playbook, control, tmp_path):
    """The secret exists only in the create's answer: a field of the wrong type beside it must not lose it."""
    secret = 'only-in-this-answer-' + 'x' * 20
    control.fault(method='POST', path=CLIENTS + '$', body=client_entity(
        id='5d3a1a0b-1111-4000-8000-000000000001', name='crm', authorizedGrantType='CLIENT-CREDENTIALS',
        secret=secret, createdBy='x'))
    out = tmp_path / 'out.json'
    run = playbook(kept_result_tasks('create', 'oauth_client', out, name='crm', grant_type='code'))
    assert secret not in run.output
    result = json.loads(out.read_text())
    assert result['failed'] and result['changed'], result
    assert 'WAS created' in result['msg'] and 'createdBy is a string, not an object' in result['msg']
    assert result['client'] == dict(id='5d3a1a0b-1111-4000-8000-000000000001', name='crm', secret=secret)
