"""The module base, through several modules: every failure a user can meet ends in a clear message (never a
traceback, the playbook fixture asserts that for every run), and input is checked before any request. Where requests
go is test_transport.py."""

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import task

CLIENTS = '/api/v2/oauth/clients'


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
    run = playbook([task('bad', 'oauth_client', **args)])
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
