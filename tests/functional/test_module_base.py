"""The module base: every failure a user can meet ends in a clear message (never a traceback, the playbook
fixture asserts that for every run), `changed` tells the truth, input is checked before any request, and
the transport does what the options say."""

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from tls_cert import write_self_signed

from conftest import start_emulator, stop_emulator  # pylint: disable=import-error

CLIENTS = '/api/v2/oauth/clients'


def task(title, module='oauth_client', /, **args):
    return {'name': title, 'genesys.cloud.' + module: args, 'register': 'out', 'ignore_errors': True}


def test_a_delete_that_fails_after_the_client_was_made_inactive_reports_changed(playbook, control):
    client = control.create_client(name='doomed', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.fault(method='DELETE', path=CLIENTS + '/', status=409, code='conflict', message='Client is in use')
    run = playbook([task('absent', name='doomed', state='absent')])
    result = run['absent']
    assert run.status('absent') == 'failed' and result['changed'] is True
    assert 'was made inactive' in result['msg'] and 'Client is in use' in result['msg']
    assert result['client']['state'] == 'inactive' and result['api_error']['status'] == 409
    assert control.get_client(client['id']).json()['state'] == 'inactive'


@pytest.mark.parametrize('fault,module,args,expected', [
    (dict(method='POST', path='^/oauth/token$', body='<html>Service unavailable</html>'),
     'oauth_client_info', {}, 'the login answer has no access_token'),
    (dict(method='POST', path='^/oauth/token$', body={'token_type': 'bearer'}),
     'oauth_client_info', {}, 'the login answer has no access_token'),
    (dict(method='POST', path='/usage/query$', status=202, body=''),
     'oauth_usage_query', dict(client_id='emulator-admin', poll_interval=0.1), 'the API answer has no executionId'),
    (dict(method='GET', path='/divisions/home$', body='null'),
     'oauth_client', dict(name='x', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]),
     'malformed API answer: the answer is null, not an object (HTTP 200) on GET /api/v2/authorization/divisions/home'),
    (dict(method='GET', path='/divisions/home$', body=''),
     'oauth_client', dict(name='x', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)]),
     'malformed API answer: the answer is empty (HTTP 200) on GET /api/v2/authorization/divisions/home'),
    (dict(method='POST', path=CLIENTS + '$', body='{}'),
     'oauth_client', dict(name='x', grant_type='code'), 'the API answer has no id'),
])
def test_answers_the_api_should_not_give_end_in_a_message(playbook, control, fault, module, args, expected):
    control.fault(**fault)
    run = playbook([task('odd answer', module, **args)])
    assert run.status('odd answer') == 'failed'
    assert expected in run['odd answer']['msg'], run['odd answer']['msg']


def test_a_client_created_with_no_id_in_the_answer_is_reported_as_a_change(playbook, control):
    control.fault(method='POST', path=CLIENTS + '$', body='{}')
    run = playbook([task('create', name='x', grant_type='code')])
    assert run['create']['changed'] is True and 'POST %s' % CLIENTS in run['create']['msg']


def test_grant_types_and_states_the_api_added_round_trip_on_update(playbook, control):
    control.configure(added_enum_values=dict(authorizedGrantType=['DEVICE-CODE'], state=['suspended']))
    newer = control.add_raw_client(name='tv-app', authorizedGrantType='DEVICE-CODE', state='suspended',
                                   accessTokenValiditySeconds=3600, registeredRedirectUri=[], scope=['users'],
                                   roleDivisions=[])
    run = playbook([task('read', 'oauth_client_info', name='tv-app'),
                    task('update', name='tv-app', description='living room'),
                    task('again', name='tv-app', description='living room')])
    assert run['read']['clients'][0]['grant_type'] == 'DEVICE-CODE'
    assert run['read']['clients'][0]['state'] == 'suspended'
    assert run.status('update') == 'changed', run.output
    assert run.status('again') == 'ok'
    put = [r for r in control.all_requests() if r['method'] == 'PUT'][0]['body']
    assert put['authorizedGrantType'] == 'DEVICE-CODE' and put['state'] == 'suspended' and put['scope'] == ['users']
    stored = control.get_client(newer['id']).json()
    assert stored['description'] == 'living room' and stored['authorizedGrantType'] == 'DEVICE-CODE'

    control.clear_requests()
    gone = playbook([task('delete', name='tv-app', state='absent')])
    assert gone.status('delete') == 'changed', gone.output
    assert [r['method'] for r in control.writes()] == ['DELETE']


@pytest.mark.parametrize('args,expected', [
    (dict(name='x', grant_type='code', redirect_uris=['http://[::1']), "redirect_uris: 'http://[::1' is malformed"),
    (dict(name=['zz'], grant_type='code'), 'name must be a string, not a list'),
    (dict(name={'a': 1}, grant_type='code'), 'name must be a string, not a dict'),
    (dict(name='x', grant_type='code', api_url=''), 'api_url is empty'),
    (dict(name='x', grant_type='code', region='', api_url=None), 'region is empty'),
    (dict(name='x', grant_type='code', auth_client_secret=''), 'auth_client_secret (or GENESYSCLOUD_OAUTHCLIENT_SECRET) is empty'),
    (dict(name='x', grant_type='code', ca_path='/no/such/ca.pem'), 'ca_path /no/such/ca.pem does not exist'),
    (dict(name='x', grant_type='code', client_id=''), 'client_id must not be empty'),
])
def test_bad_input_fails_before_any_request(playbook, control, args, expected):
    run = playbook([task('bad', **args)])
    assert run.status('bad') == 'failed'
    assert expected in run['bad']['msg'], run['bad']['msg']
    assert control.requests() == []


def test_an_empty_api_url_from_the_environment_is_refused(playbook, control):
    run = playbook([task('bad', 'oauth_client_info')], env=dict(GENESYSCLOUD_API_URL=''))
    assert run.status('bad') == 'failed' and 'api_url is empty' in run['bad']['msg']
    assert 'GENESYSCLOUD_API_URL' in run['bad']['msg']


def test_a_language_that_is_not_header_text_fails_before_any_request(playbook, control):
    run = playbook([task('scopes', 'oauth_scope_info', language='日本語')])
    assert run.status('scopes') == 'failed' and 'language must be a language tag' in run['scopes']['msg']
    assert control.requests() == []


def test_dot_segment_ids_are_refused_before_any_request(playbook, control):
    # As a path segment '..' would address the parent folder (requests unescapes a %2E), so it is never sent.
    run = playbook([task('parent', 'oauth_client_info', client_id='..'),
                    task('scope', 'oauth_scope_info', scope_id='.'),
                    task('rotate', 'oauth_client_secret', client_id='..')])
    assert "client_id cannot be '..'" in run['parent']['msg'] and "scope_id cannot be '.'" in run['scope']['msg']
    assert run.status('rotate') == 'failed'
    assert control.requests() == []


def test_a_read_by_id_right_after_a_create_rides_out_the_404s(playbook, control):
    control.configure(create_lag_reads=2)
    run = playbook([task('create', name='fresh', grant_type='code'),
                    {'name': 'read', 'genesys.cloud.oauth_client_info': {'client_id': '{{ out.client.id }}'},
                     'register': 'read'}])
    assert run.status('read') == 'ok' and run['read']['clients'][0]['name'] == 'fresh', run.output
    gets = [r['status'] for r in control.requests() if r['method'] == 'GET' and r['path'].startswith(CLIENTS + '/')]
    assert gets == [404, 404, 200]


def test_the_404_wait_can_be_turned_off(playbook, control):
    control.configure(create_lag_reads=2)
    run = playbook([task('create', name='fresh', grant_type='code'),
                    {'name': 'read', 'genesys.cloud.oauth_client_info': {'client_id': '{{ out.client.id }}',
                                                                         'id_lookup_wait': 0}, 'register': 'read'}])
    assert run['read']['clients'] == []
    assert len([r for r in control.requests() if r['method'] == 'GET' and r['path'].startswith(CLIENTS + '/')]) == 1


def test_usage_totals_hold_only_the_metrics_asked_for(playbook, control):
    run = playbook([task('usage', 'oauth_usage_query', client_id='emulator-admin', metrics=['Status429'], poll_interval=0.1),
                    task('all', 'oauth_usage_query', client_id='emulator-admin', poll_interval=0.1)])
    assert set(run['usage']['totals']) == {'status429'}, run.output
    assert run['all']['totals']['requests'] > 0
    assert {'requests', 'status200', 'status300', 'status400', 'status429', 'status500'} <= set(run['all']['totals'])


@pytest.fixture(scope='module')
def tls_emulator(tmp_path_factory):
    folder = tmp_path_factory.mktemp('tls')
    cert, key = write_self_signed(folder)
    process, url = start_emulator(str(folder), '--tls-cert', cert, '--tls-key', key)
    yield url, cert
    stop_emulator(process)


def test_an_untrusted_certificate_fails_at_once_with_the_fix(playbook, tls_emulator):
    url, _cert = tls_emulator
    run = playbook([task('tls', 'oauth_client_info', api_url=url)])
    message = run['tls']['msg']
    assert run.status('tls') == 'failed' and 'TLS certificate verification failed' in message
    assert 'ca_path' in message and 'CERTIFICATE_VERIFY_FAILED' in message and 'retries' not in message


@pytest.mark.smoke
def test_ca_path_trusts_a_private_ca(playbook, tls_emulator):
    url, cert = tls_emulator
    run = playbook([task('tls', 'oauth_client_info', api_url=url, ca_path=cert)])
    assert run.status('tls') == 'ok', run.output
    assert [c['id'] for c in run['tls']['clients']] == ['emulator-admin']


def test_validate_certs_false_wins_over_requests_ca_bundle(playbook, tls_emulator, tmp_path):
    url, _cert = tls_emulator
    unrelated = tmp_path / 'unrelated.pem'
    write_self_signed(tmp_path)
    unrelated.write_bytes((tmp_path / 'cert.pem').read_bytes())
    run = playbook([task('tls', 'oauth_client_info', api_url=url, validate_certs=False)],
                   env=dict(REQUESTS_CA_BUNDLE=str(unrelated)))
    assert run.status('tls') == 'ok', run.output


def test_https_to_a_plain_http_port_fails_at_once(playbook, control):
    run = playbook([task('tls', 'oauth_client_info', api_url=control.url.replace('http://', 'https://'))])
    assert run.status('tls') == 'failed' and 'TLS failed' in run['tls']['msg']
    assert 'retries' not in run['tls']['msg']
