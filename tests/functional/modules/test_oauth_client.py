"""genesys.cloud.oauth_client through real ansible-playbook runs against the emulator: create, update, delete,
check mode and diff, input checks, API errors and retries; and a new client's secret, never lost: delivered to dest
and a credential, recovered after a lost create answer, handed back beside a malformed answer."""

import json
import os
import stat

import pytest

from genesys_emulator.seed import DEVELOPER_ROLE_ID, EMPLOYEE_ROLE_ID, HOME_DIVISION_ID
from helpers import cc_client, client_entity, implicit_grant_warnings, kept_result_tasks, read, task, team_client

MODULE = 'genesys.cloud.oauth_client'
CC_CLIENT = dict(name='reporting', description='nightly reports', grant_type='client_credentials',
                 access_token_validity_seconds=3600, roles=[dict(role_id=EMPLOYEE_ROLE_ID)])
CLIENTS = '/api/v2/oauth/clients'
CC = dict(name='crm', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])
# The answers a write may get when the backend did the work but the module cannot read the outcome.
LOST_ANSWERS = [dict(status=503), dict(body='<html>OK</html>'), dict(body='{}')]
LOST_IDS = ['503', '200-not-json', '200-empty-object']
CREDENTIALS = '/api/v2/integrations/credentials'


def writes(control):
    return [(w['method'], w['path']) for w in control.writes()]


def declare(**args):
    return {'name': 'declare', 'genesys.cloud.oauth_clients': args, 'register': 'out', 'ignore_errors': True}


@pytest.mark.smoke
def test_create_then_second_run_is_unchanged_with_no_write(playbook, control):
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)])
    created = run['create']
    assert run.status('create') == 'changed', run.output
    client = created['client']
    assert client['id'] and client['secret']
    assert client['name'] == 'reporting' and client['grant_type'] == 'client_credentials'
    assert client['roles'] == [dict(role_id=EMPLOYEE_ROLE_ID, division_id=HOME_DIVISION_ID)]
    assert client['access_token_validity_seconds'] == 3600 and client['active'] is True
    stored = control.get_client(client['id']).json()
    assert 'secret' not in stored  # the API shows a secret only in the answer to the create
    assert control.client_secret(client['id']) == client['secret']
    assert stored['roleDivisions'] == [dict(roleId=EMPLOYEE_ROLE_ID, divisionId=HOME_DIVISION_ID)]

    control.clear_requests()
    again = playbook([task('again', 'oauth_client', **CC_CLIENT)])
    assert again.status('again') == 'ok', again.output
    assert control.writes() == []
    assert 'secret' not in again['again']['client']
    assert client['secret'] not in again.output


def test_update_keeps_fields_not_mentioned(playbook, control):
    existing = control.create_client(name='web', authorizedGrantType='CODE', description='keep me',
                                     registeredRedirectUri=['https://a.example.com/cb'], scope=['users:readonly'],
                                     accessTokenValiditySeconds=7200)
    control.clear_requests()
    run = playbook([task('update', 'oauth_client', name='web', scopes=['users:readonly', 'analytics:readonly'])])
    assert run.status('update') == 'changed', run.output
    puts = [r for r in control.writes() if r['method'] == 'PUT']
    assert len(puts) == 1 and len(control.writes()) == 1
    body = puts[0]['body']
    assert body['description'] == 'keep me'
    assert body['registeredRedirectUri'] == ['https://a.example.com/cb']
    assert body['accessTokenValiditySeconds'] == 7200
    assert sorted(body['scope']) == ['analytics:readonly', 'users:readonly']
    stored = control.get_client(existing['id']).json()
    assert stored['dateModified'] > existing['dateModified']
    assert run['update']['client']['scopes'] == ['analytics:readonly', 'users:readonly']


def test_lists_compare_as_sets(playbook, control):
    control.create_client(name='web', authorizedGrantType='CODE', scope=['users:readonly', 'analytics:readonly'],
                          registeredRedirectUri=['https://b.example.com/cb', 'https://a.example.com/cb'])
    control.clear_requests()
    run = playbook([task('same set', 'oauth_client', name='web',
                         scopes=['analytics:readonly', 'users:readonly', 'analytics:readonly'],
                         redirect_uris=['https://a.example.com/cb', 'https://b.example.com/cb', 'https://a.example.com/cb'])])
    assert run.status('same set') == 'ok', run.output
    assert control.writes() == []


def test_role_division_pairs_compare_as_sets_with_home_division(playbook, control):
    control.create_client(name='cc', roleDivisions=[dict(roleId=DEVELOPER_ROLE_ID, divisionId='*'),
                                                    dict(roleId=EMPLOYEE_ROLE_ID, divisionId=HOME_DIVISION_ID)])
    control.clear_requests()
    run = playbook([task('same roles', 'oauth_client', name='cc', roles=[
        dict(role_id=EMPLOYEE_ROLE_ID), dict(role_id=DEVELOPER_ROLE_ID, division_id='*'), dict(role_id=EMPLOYEE_ROLE_ID)])])
    assert run.status('same roles') == 'ok', run.output
    assert control.writes() == []


def test_rename_by_client_id(playbook, control):
    existing = control.create_client(name='old', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    run = playbook([task('rename', 'oauth_client', client_id=existing['id'], name='new')])
    assert run.status('rename') == 'changed', run.output
    assert control.get_client(existing['id']).json()['name'] == 'new'
    assert run['rename']['client']['name'] == 'new'
    control.clear_requests()
    again = playbook([task('rename', 'oauth_client', client_id=existing['id'], name='new')])
    assert again.status('rename') == 'ok' and control.writes() == []


def test_unknown_client_id_fails_without_write(playbook, control):
    run = playbook([task('missing', 'oauth_client', client_id='no-such-id', name='x', grant_type='code')])
    assert run.status('missing') == 'failed'
    assert "no OAuth client has the id 'no-such-id'" in run['missing']['msg']
    assert control.writes() == []


def test_check_mode_sends_no_write_and_predicts_the_change(playbook, control):
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)], check=True, diff=True)
    assert run.status('create') == 'changed', run.output
    assert control.writes() == []
    assert control.clients_named('reporting') == []
    assert run['create']['diff']['after']['name'] == 'reporting'

    existing = control.create_client(name='reporting', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    update = playbook([task('update', 'oauth_client', name='reporting', description='new text', active=False)], check=True)
    assert update.status('update') == 'changed'
    assert update['update']['client']['description'] == 'new text'
    assert update['update']['client']['state'] == 'inactive'
    assert control.writes() == []
    assert control.get_client(existing['id']).json()['state'] == 'active'

    unchanged = playbook([task('same', 'oauth_client', name='reporting', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])], check=True)
    assert unchanged.status('same') == 'ok'

    absent = playbook([task('absent', 'oauth_client', name='reporting', state='absent')], check=True)
    assert absent.status('absent') == 'changed'
    assert control.writes() == []
    assert control.get_client(existing['id']).status_code == 200


@pytest.mark.smoke
def test_diff_shows_changes_and_never_a_secret(playbook, control):
    existing = control.create_client(name='reporting', description='before text',
                                     roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    run = playbook([task('update', 'oauth_client', name='reporting', description='after text')], diff=True, verbosity=3)
    assert run.status('update') == 'changed', run.output
    diff = run['update']['diff']
    assert diff['before']['description'] == 'before text' and diff['after']['description'] == 'after text'
    assert '-    "description": "before text"' in run.stdout
    assert existing['secret'] not in run.output
    assert 'secret' not in json.dumps(diff)


def test_absent_on_active_client_deactivates_then_deletes(playbook, control):
    existing = control.create_client(name='gone', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([task('delete', 'oauth_client', name='gone', state='absent')])
    assert run.status('delete') == 'changed', run.output
    writes = [(r['method'], r['path'], r['status']) for r in control.writes()]
    path = '/api/v2/oauth/clients/' + existing['id']
    assert writes == [('PUT', path, 200), ('DELETE', path, 204)]
    assert control.writes()[0]['body']['state'] == 'inactive'
    # The API still answers GET with state 'deleted' for a while: that is absent too.
    control.clear_requests()
    again = playbook([task('delete by id', 'oauth_client', client_id=existing['id'], state='absent')])
    assert again.status('delete by id') == 'ok', again.output
    assert control.writes() == []
    assert control.get_client(existing['id']).status_code == 404


def test_absent_when_missing_is_unchanged(playbook, control):
    run = playbook([task('absent', 'oauth_client', name='never-was', state='absent')])
    assert run.status('absent') == 'ok'
    assert run['absent']['client'] == {}
    assert control.writes() == []


def test_ambiguous_name_fails_naming_the_ids(playbook, control):
    first = control.create_client(name='twin', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    second = control.create_client(name='twin', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([task('present', 'oauth_client', name='twin', description='x'), task('absent', 'oauth_client', name='twin', state='absent')])
    for name in ('present', 'absent'):
        assert run.status(name) == 'failed'
        assert first['id'] in run[name]['msg'] and second['id'] in run[name]['msg']
    assert control.writes() == []


def test_name_lookup_follows_pages(playbook, control):
    for number in range(7):
        control.create_client(name='client-%d' % number, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.configure(max_page_size=2)
    control.clear_requests()
    run = playbook([task('last page', 'oauth_client', name='client-6', description='found')])
    assert run.status('last page') == 'changed', run.output
    listing = [r for r in control.requests() if r['method'] == 'GET' and r['path'] == '/api/v2/oauth/clients']
    assert len(listing) == 4  # 8 clients (with the admin), 2 a page
    assert run['last page']['client']['description'] == 'found'


def test_grant_type_change_drops_roles(playbook, control):
    existing = control.create_client(name='switch', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    run = playbook([task('to code', 'oauth_client', name='switch', grant_type='code', scopes=['users:readonly'],
                         redirect_uris=['https://app.example.com/cb'])], diff=True)
    assert run.status('to code') == 'changed', run.output
    stored = control.get_client(existing['id']).json()
    assert stored['authorizedGrantType'] == 'CODE' and stored['roleDivisions'] == []
    assert run['to code']['diff']['after']['roles'] == []


@pytest.mark.smoke
def test_bad_input_is_refused_before_any_request(playbook, control):
    bad = [
        ('grant', dict(name='x', grant_type='implicit'), 'grant_type'),
        ('validity low', dict(name='x', grant_type='code', access_token_validity_seconds=10), 'access_token_validity_seconds'),
        ('validity high', dict(name='x', grant_type='client_credentials', access_token_validity_seconds=172801),
         'allow_scim_validity'),
        ('redirect', dict(name='x', grant_type='code', redirect_uris=['not a uri']), 'redirect_uris'),
        ('redirect fragment', dict(name='x', grant_type='code', redirect_uris=['https://a.example.com/#x']), 'fragment'),
        ('roles on code', dict(name='x', grant_type='code', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]), 'roles'),
        ('scopes on cc', dict(name='x', grant_type='client_credentials', scopes=['users']), 'scopes'),
        ('no identity', dict(description='x'), 'one of the following is required: client_id, name'),
        ('bad region', dict(name='x', region='mars-1', api_url=None), 'us-east-1'),
        ('bad timeout', dict(name='x', timeout=0), 'timeout'),
    ]
    run = playbook([task(name, 'oauth_client', **args) for name, args, _expected in bad])
    for name, _args, expected in bad:
        assert run.status(name) == 'failed', name
        assert expected in run[name]['msg'], (name, run[name]['msg'])
    assert 'client_credentials, code, token, saml2_bearer, password' in run['grant']['msg']
    assert control.requests() == []


def test_scim_validity_needs_opt_in_and_a_scim_role(playbook, control):
    from genesys_emulator.seed import SCIM_ROLE_ID
    run = playbook([task('scim', 'oauth_client', name='scim', grant_type='client_credentials', access_token_validity_seconds=38880000,
                         allow_scim_validity=True, roles=[dict(role_id=SCIM_ROLE_ID)])])
    assert run.status('scim') == 'changed', run.output
    assert run['scim']['client']['access_token_validity_seconds'] == 38880000


def test_api_errors_carry_message_status_and_correlation_id(playbook, control):
    # A login that may not read roles leaves the role ids to the API, which refuses the unknown one itself.
    control.fault(method='GET', path='^/api/v2/authorization/roles/', status=403, code='missing.permissions',
                  message='Missing permission authorization:role:view', count=5)
    run = playbook([task('unknown role', 'oauth_client', name='x', grant_type='client_credentials', roles=[dict(role_id='no-such-role')])])
    assert run.status('unknown role') == 'failed'
    result = run['unknown role']
    assert 'Role ids not found: no-such-role' in result['msg']
    assert 'HTTP 400' in result['msg'] and 'correlation id' in result['msg']
    post = [r for r in control.requests() if r['method'] == 'POST' and r['path'] == '/api/v2/oauth/clients'][0]
    assert result['api_error']['status'] == 400 and result['api_error']['code'] == 'invalid.value'
    assert result['api_error']['context_id'] and post['status'] == 400


def test_rate_limit_storm_is_survived(playbook, control):
    control.configure(rate_limit=2, rate_limit_window=1)
    run = playbook([task('create', 'oauth_client', **CC_CLIENT), task('again', 'oauth_client', **CC_CLIENT),
                    task('rename', 'oauth_client', name='reporting', description='storm')])
    assert [run.status(name) for name in ('create', 'again', 'rename')] == ['changed', 'ok', 'changed'], run.output
    statuses = [r['status'] for r in control.requests()]
    assert 429 in statuses
    assert len(control.clients_named('reporting')) == 1


def test_rate_limit_beyond_the_retry_budget_fails_with_the_api_message(playbook, control):
    control.configure(rate_limit=1, rate_limit_window=30)
    run = playbook([task('create', 'oauth_client', max_retries=1, max_retry_wait=2, **CC_CLIENT)])
    assert run.status('create') == 'failed'
    assert 'HTTP 429' in run['create']['msg'] and 'too.many.requests' in run['create']['msg']


def test_transient_503_is_retried_for_reads_but_not_for_creates(playbook, control):
    control.fault(method='GET', path='^/api/v2/oauth/clients$', status=503, count=2, retry_after=0)
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)])
    assert run.status('create') == 'changed', run.output
    gets = [r['status'] for r in control.requests() if r['method'] == 'GET' and r['path'] == '/api/v2/oauth/clients']
    assert gets == [503, 503, 200]

    control.fault(method='POST', path='^/api/v2/oauth/clients$', status=503, count=1, retry_after=0)
    run = playbook([task('create other', 'oauth_client', **{**CC_CLIENT, 'name': 'other'})])
    assert run.status('create other') == 'failed'
    assert 'HTTP 503' in run['create other']['msg']
    posts = [r for r in control.requests() if r['method'] == 'POST' and r['path'] == '/api/v2/oauth/clients']
    assert [r['status'] for r in posts] == [200, 503]


def test_expired_token_is_renewed_once(playbook, control):
    control.fault(method='GET', path='^/api/v2/oauth/clients$', status=401, count=1, code='bad.credentials')
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)])
    assert run.status('create') == 'changed', run.output
    tokens = [r for r in control.requests() if r['path'] == '/oauth/token']
    assert len(tokens) == 2


def test_bad_credentials_fail_clearly(playbook, control):
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)], env=dict(GENESYSCLOUD_OAUTHCLIENT_SECRET='wrong'))
    assert run.status('create') == 'failed'
    assert 'HTTP 401' in run['create']['msg'] and 'invalid_client' in run['create']['msg']
    assert control.writes() == []


def test_no_credentials_fail_before_any_request(playbook, control):
    run = playbook([task('create', 'oauth_client', **CC_CLIENT)], credentials=False)
    assert run.status('create') == 'failed'
    assert 'GENESYSCLOUD_OAUTHCLIENT_ID' in run['create']['msg']
    assert control.requests() == []


@pytest.mark.smoke
def test_bearer_token_and_module_defaults_group(playbook, control):
    token = control.token()
    tasks = [{'name': 'grouped', 'module_defaults': {'group/genesys.cloud.genesys': dict(
        api_url=control.url, auth_token=token)}, MODULE: dict(CC_CLIENT, return_secret=True), 'register': 'out'}]
    run = playbook(tasks, credentials=False, env=dict(GENESYSCLOUD_API_URL=''))
    assert run.status('grouped') == 'changed', run.output
    assert not [r for r in control.requests() if r['path'] == '/oauth/token' and r['status'] == 200][1:]
    assert token not in run.output


def test_token_and_client_credentials_are_exclusive_in_one_task(playbook, control):
    run = playbook([task('both', 'oauth_client', auth_token='abc', auth_client_id='x', **CC_CLIENT)])
    assert run.status('both') == 'failed'
    assert 'mutually exclusive' in run['both']['msg']
    assert control.requests() == []


def test_task_token_wins_over_client_credentials_in_the_environment(playbook, control):
    """As under the AWX credential docs/docsite/rst/awx.rst recommends: GENESYSCLOUD_OAUTHCLIENT_* set, a task brings a token."""
    token = control.token()
    control.clear_requests()
    # The environment holds client credentials (wrong ones, so using them would fail the task).
    run = playbook([task('token', 'oauth_client', auth_token=token, **CC_CLIENT)], env=dict(GENESYSCLOUD_OAUTHCLIENT_SECRET='wrong'))
    assert run.status('token') == 'changed', run.output
    assert [r for r in control.requests() if r['path'] == '/oauth/token'] == []
    assert control.writes()[0]['client_id'] == 'emulator-admin'


def test_the_output_guard_catches_a_shown_secret(playbook, control):
    """The playbook fixture fails any run whose output shows an issued secret; prove it is not a no-op."""
    import pytest
    client = control.create_client(name='shown', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    with pytest.raises(AssertionError, match='secret'):
        playbook([{'name': 'leak', 'ansible.builtin.debug': {'msg': client['secret']}}])


def test_a_diff_compares_like_with_like_when_roles_are_named(playbook, control):
    """Roles given by name come back with role_name in the result, but the diff shows the same fields on both sides:
    an unchanged role is no diff line, and a changed one shows only what changed (issue 18)."""
    created = control.create_client(name='named', roleDivisions=[dict(roleId=DEVELOPER_ROLE_ID, divisionId=HOME_DIVISION_ID)])
    run = playbook([task('same', 'oauth_client', name='named', roles=[dict(role='Developer')]),
                    task('more', 'oauth_client', name='named', roles=[dict(role='Developer'), dict(role='Employee')])], check=True, diff=True)
    assert run.status('same') == 'ok' and run['same']['client']['roles'][0]['role_name'] == 'Developer'
    assert run['same']['diff']['before'] == run['same']['diff']['after']
    diff = run['more']['diff']
    assert set(diff['before']) == set(diff['after']) and diff['before']['id'] == created['id']
    for side in ('before', 'after'):
        assert all(set(role) == {'role_id', 'division_id'} for role in diff[side]['roles']), diff
    assert len(diff['after']['roles']) == 2 and len(diff['before']['roles']) == 1


def test_check_mode_and_the_real_run_agree_on_an_unknown_role_id(playbook, control):
    """Check mode refuses a role or division id the org does not have, as the real run does, before any write; each
    distinct id is asked once per run, and ids already on the client are not asked again (issue 18)."""
    wrong = '3e1bbbd2-5b4f-4a5b-9c3e-59a2c43de6d8'
    tasks = [task('create', 'oauth_client', name='billing-sync', grant_type='client_credentials',
                  roles=[dict(role_id=EMPLOYEE_ROLE_ID), dict(role_id=wrong, division_id='*')])]
    control.clear_requests()
    planned, done = playbook(tasks, check=True, diff=True), playbook(tasks)
    for run in (planned, done):
        assert run.status('create') == 'failed', run.output
        assert 'role_id %s' % wrong in run['create']['msg'] and 'nothing was written' in run['create']['msg']
    assert control.writes() == [] and control.clients_named('billing-sync') == []
    role_reads = [r['path'] for r in control.requests() if r['path'].startswith('/api/v2/authorization/roles/')]
    assert sorted(role_reads) == sorted(['/api/v2/authorization/roles/' + EMPLOYEE_ROLE_ID,
                                         '/api/v2/authorization/roles/' + wrong] * 2)

    created = control.create_client(name='keeps', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([task('add', 'oauth_client', client_id=created['id'], roles=[dict(role_id=EMPLOYEE_ROLE_ID), dict(role_id=DEVELOPER_ROLE_ID)])])
    assert run.status('add') == 'changed', run.output
    assert [r['path'] for r in control.requests() if r['path'].startswith('/api/v2/authorization/roles/')] == [
        '/api/v2/authorization/roles/' + DEVELOPER_ROLE_ID]


def test_a_login_that_may_not_read_roles_leaves_role_ids_to_the_api(playbook, control):
    control.fault(method='GET', path='^/api/v2/authorization/roles/', status=403, code='missing.permissions',
                  message='Missing permission authorization:role:view', count=5)
    run = playbook([task('create', 'oauth_client', name='no-role-view', grant_type='client_credentials',
                         roles=[dict(role_id=DEVELOPER_ROLE_ID, division_id='*')])])
    assert run.status('create') == 'changed', run.output
    assert len(control.clients_named('no-role-view')) == 1


def test_a_delete_that_fails_after_the_client_was_made_inactive_reports_changed(playbook, control):
    client = control.create_client(name='doomed', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.fault(method='DELETE', path=CLIENTS + '/', status=409, code='conflict', message='Client is in use')
    run = playbook([task('absent', 'oauth_client', name='doomed', state='absent')])
    result = run['absent']
    assert run.status('absent') == 'failed' and result['changed'] is True
    assert 'was made inactive' in result['msg'] and 'Client is in use' in result['msg']
    assert result['client']['state'] == 'inactive' and result['api_error']['status'] == 409
    assert control.get_client(client['id']).json()['state'] == 'inactive'


def test_a_client_created_with_no_id_in_the_answer_is_reported_as_a_change(playbook, control):
    control.fault(method='POST', path=CLIENTS + '$', body='{}')
    run = playbook([task('create', 'oauth_client', name='x', grant_type='code')])
    assert run['create']['changed'] is True and 'POST %s' % CLIENTS in run['create']['msg']


def test_grant_types_and_states_the_api_added_round_trip_on_update(playbook, control):
    control.configure(added_enum_values=dict(authorizedGrantType=['DEVICE-CODE'], state=['suspended']))
    newer = control.add_raw_client(name='tv-app', authorizedGrantType='DEVICE-CODE', state='suspended',
                                   accessTokenValiditySeconds=3600, registeredRedirectUri=[], scope=['users'],
                                   roleDivisions=[])
    run = playbook([task('read', 'oauth_client_info', name='tv-app'),
                    task('update', 'oauth_client', name='tv-app', description='living room'),
                    task('again', 'oauth_client', name='tv-app', description='living room')])
    assert run['read']['clients'][0]['grant_type'] == 'DEVICE-CODE'
    assert run['read']['clients'][0]['state'] == 'suspended'
    assert run.status('update') == 'changed', run.output
    assert run.status('again') == 'ok'
    put = [r for r in control.all_requests() if r['method'] == 'PUT'][0]['body']
    assert put['authorizedGrantType'] == 'DEVICE-CODE' and put['state'] == 'suspended' and put['scope'] == ['users']
    stored = control.get_client(newer['id']).json()
    assert stored['description'] == 'living room' and stored['authorizedGrantType'] == 'DEVICE-CODE'

    control.clear_requests()
    gone = playbook([task('delete', 'oauth_client', name='tv-app', state='absent')])
    assert gone.status('delete') == 'changed', gone.output
    assert [r['method'] for r in control.writes()] == ['DELETE']


SPA = dict(name='spa', grant_type='token', redirect_uris=['https://spa.example.com/cb'], scopes=['users:readonly'])


def test_declaring_an_implicit_grant_client_warns_once_and_deleting_it_does_not(playbook, control):
    planned = playbook([task('create', 'oauth_client', **SPA)], check=True)
    assert planned.status('create') == 'changed' and implicit_grant_warnings(planned) == ['spa'], planned.output
    # Each task that declares it warns; Ansible shows a warning once a run, so the client is named once.
    run = playbook([task('create', 'oauth_client', **SPA), task('again', 'oauth_client', **SPA),
                    task('describe', 'oauth_client', name='spa', description='single page app')])
    assert [run.status(title) for title in ('create', 'again', 'describe')] == ['changed', 'ok', 'changed'], run.output
    assert implicit_grant_warnings(run) == ['spa']
    assert run['create']['client']['deprecated_grant'] is True
    moved = playbook([task('to code', 'oauth_client', name='spa', grant_type='code'),
                      task('delete', 'oauth_client', name='spa', state='absent')])
    assert moved.status('to code') == 'changed' and moved['to code']['client']['deprecated_grant'] is False
    assert moved.status('delete') == 'changed' and implicit_grant_warnings(moved) == []
    control.create_client(name='old-spa', authorizedGrantType='TOKEN')
    gone = playbook([task('delete', 'oauth_client', name='old-spa', state='absent')])
    assert gone.status('delete') == 'changed' and implicit_grant_warnings(gone) == [], gone.output


# --- case 7: a create whose answer is lost ---------------------------------------------------------------------

@pytest.mark.parametrize('lost', LOST_ANSWERS, ids=LOST_IDS)
def test_a_create_whose_answer_is_lost_is_recovered_by_a_rotation(playbook, control, tmp_path, lost):
    dest, out = tmp_path / 'crm.secret', tmp_path / 'out.json'
    control.fault(method='POST', path=CLIENTS + '$', lose_response=True, **lost)
    playbook(kept_result_tasks('create', 'oauth_client', out, dest=str(dest), **CC))
    result = read(out)
    assert not result.get('failed') and result['changed'] and result['recovered'] is True, result.get('msg')
    [client] = control.clients_named('crm')
    secret = dest.read_text().strip()
    assert result['client']['id'] == client['id'] and result['deliveries']['dest'] == 'done'
    assert result['client']['secret'] == secret == control.client_secret(client['id'])
    assert control.logs_in(client['id'], secret)
    assert writes(control) == [('POST', CLIENTS), ('POST', '%s/%s/secret' % (CLIENTS, client['id']))]

    control.clear_requests()
    again = playbook([task('again', 'oauth_client', dest=str(dest), **CC)])
    assert again.status('again') == 'ok', again.output
    assert control.writes() == [] and dest.read_text().strip() == secret


def test_a_lost_create_whose_recovery_fails_names_the_client_and_the_command_that_recovers_it(
        playbook, control, tmp_path):
    dest, out = tmp_path / 'crm.secret', tmp_path / 'out.json'
    control.fault(method='POST', path=CLIENTS + '$', status=503, lose_response=True)
    control.fault(method='POST', path='/secret$', status=409, message='busy')
    playbook(kept_result_tasks('create', 'oauth_client', out, dest=str(dest), **CC))
    result = read(out)
    [client] = control.clients_named('crm')
    assert result['failed'] and result['changed'] is True and result['client']['id'] == client['id']
    assert 'WAS created' in result['msg'] and client['id'] in result['msg'] and 'busy' in result['msg']
    assert 'genesys.cloud.oauth_client_secret' in result['msg'], result['msg']
    assert not dest.exists() and 'secret' not in result['client']

    # The command the message names recovers it.
    recover = tmp_path / 'recover.json'
    playbook(kept_result_tasks('recover', 'oauth_client_secret', recover, client_id=client['id'], dest=str(dest)))
    assert read(recover)['changed'] and control.logs_in(client['id'], dest.read_text().strip())


def test_a_create_that_got_no_answer_and_made_no_client_says_so(playbook, control, tmp_path):
    dest, out = tmp_path / 'crm.secret', tmp_path / 'out.json'
    control.fault(method='POST', path=CLIENTS + '$', status=503)
    playbook(kept_result_tasks('create', 'oauth_client', out, dest=str(dest), **CC))
    result = read(out)
    assert result['failed'] and result['changed'] is False and 'HTTP 503' in result['msg']
    assert "no OAuth client named 'crm'" in result['msg'] and 'genesys.cloud.oauth_client_secret' in result['msg']
    assert control.clients_named('crm') == [] and not dest.exists()


def test_a_lost_create_never_rotates_a_client_the_unreadable_answer_names(playbook, control, tmp_path):
    """An answer that cannot be read is not trusted for the id it names: it could be any client, the login client
    included (review of issue 17)."""
    victim = control.create_client(name='prod-payments', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    before = control.client_secret(victim['id'])
    for named in (victim['id'], 'emulator-admin'):
        control.fault(method='POST', path='^/api/v2/oauth/clients$', status=200, body={'id': named},
                      lose_response=True)
        out = tmp_path / ('out-%s.json' % named)
        playbook(kept_result_tasks('create', 'oauth_client', out, name='svc-new-' + named[:4],
                                   grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)],
                                   dest=str(tmp_path / ('new-%s.json' % named))))
        result = json.loads(out.read_text())
        assert result['client']['name'] == 'svc-new-' + named[:4], result.get('msg')
    assert control.client_secret(victim['id']) == before
    assert control.client_secret('emulator-admin') == 'emulator-admin-secret'


def test_a_delete_whose_client_id_and_name_disagree_deletes_nothing(playbook, control):
    """client_id of one client and the name of another name no one client clearly (review of issue 17)."""
    kept, other = team_client(control, 'prod-payments'), team_client(control, 'old-test-client')
    control.clear_requests()
    absent = dict(client_id=kept['id'], name='old-test-client', state='absent')
    run = playbook([{'name': 'absent', 'genesys.cloud.oauth_client': absent, 'ignore_errors': True},
                    dict(declare(clients=[dict(client_id=kept['id'], name='old-test-client', state='absent')]),
                         name='set absent')])
    for task_name in ('absent', 'set absent'):
        assert run.status(task_name) == 'failed', run.output
    assert "is the OAuth client named 'prod-payments', not 'old-test-client'" in run['absent']['msg']
    assert control.writes() == []
    assert control.client_names() == ['Emulator admin', 'old-test-client', 'prod-payments'] and other['id']


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


def test_a_new_clients_secret_lands_in_dest_and_a_new_credential(playbook, control, tmp_path):
    out, dest = tmp_path / 'out.json', tmp_path / 'crm.json'
    run = playbook(kept_result_tasks('create', 'oauth_client', out, name='crm', grant_type='client_credentials',
                                     roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(dest), dest_format='json',
                                     integration_credential='crm-actions', create_credential=True)
                   + [{'name': 'read back', 'genesys.cloud.oauth_client_info': {'name': 'crm'}, 'register': 'info'}])
    result = read(out)
    client = result['client']
    assert result['changed'] and result['deliveries'] == dict(dest='done', integration_credential='done',
                                                              verify='not requested'), result
    assert json.loads(dest.read_text())['client_secret'] == client['secret'] == control.client_secret(client['id'])
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert control.credential_fields(result['credential_id']) == dict(clientId=client['id'], clientSecret=client['secret'])
    assert 'secret' not in run['read back']['clients'][0]  # no read returns a secret


def test_a_failed_credential_write_after_a_create_keeps_the_secret(playbook, control, tmp_path):
    out, dest = tmp_path / 'out.json', tmp_path / 'crm.secret'
    control.fault(method='POST', path=CREDENTIALS + '$', status=500, message='credential store down')
    playbook(kept_result_tasks('create', 'oauth_client', out, name='crm', grant_type='client_credentials',
                               roles=[dict(role_id=EMPLOYEE_ROLE_ID)], dest=str(dest), integration_credential='crm-actions',
                               create_credential=True))
    result = read(out)
    assert result['failed'] and result['changed'] and 'WAS created' in result['msg']
    assert 'credential store down' in result['msg']
    assert result['deliveries']['dest'] == 'done' and result['deliveries']['integration_credential'] == 'failed'
    client = result['client']
    assert client['id'] and client['secret'] == control.client_secret(client['id']) == dest.read_text().strip()


def test_deliveries_are_checked_before_the_create(playbook, control, tmp_path):
    other = cc_client(control, 'other')
    control.create_credential('taken', other['id'], 'x')
    control.clear_requests()
    run = playbook([
        {'name': 'no folder', 'genesys.cloud.oauth_client': dict(name='crm', grant_type='code',
                                                                 dest=str(tmp_path / 'no' / 'file')), 'ignore_errors': True},
        {'name': 'taken', 'genesys.cloud.oauth_client': dict(name='crm', grant_type='code', integration_credential='taken'),
         'ignore_errors': True},
    ])
    assert 'existing, writable directory' in run['no folder']['msg']
    assert 'holds the secret of client %s' % other['id'] in run['taken']['msg'] and 'take_over_credential' in run['taken']['msg']
    assert control.writes() == [] and control.clients_named('crm') == []
