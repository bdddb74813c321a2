"""The emulator's HTTP side (server.py): bearer auth, who a token is (tokens/me), paging, rate limits, strict mode,
faults (lost and dripped answers) and the request log."""

import json
import re
import socket
import time
from urllib.parse import urlsplit

import requests

from emulator_control import assert_error, assert_rate_limited
from genesys_emulator import ADMIN_CLIENT_ID
from genesys_emulator.seed import EMPLOYEE_ROLE_ID, ORGANIZATION_ID, ORGANIZATION_NAME

CLIENTS = '/api/v2/oauth/clients'
TOKENS_ME = '/api/v2/tokens/me'


def test_bearer_token_is_required_and_expires(control):
    assert_error(requests.get(control.url + CLIENTS), 401, 'authentication.required')
    assert_error(requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer nope'}), 401, 'bad.credentials')
    control.configure(token_ttl=1)
    token = control.token()
    assert requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + token}).status_code == 200
    time.sleep(1.1)
    assert_error(requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + token}), 401, 'bad.credentials')


def test_tokens_me_tells_the_token_s_client_and_organisation(control):
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    token = control.token(robot['id'], robot['secret'])
    info = requests.get(control.url + TOKENS_ME, headers={'Authorization': 'Bearer ' + token}).json()
    organization = dict(id=ORGANIZATION_ID, name=ORGANIZATION_NAME)
    assert info['organization'] == info['homeOrganization'] == organization
    client = info['OAuthClient']
    assert (client['id'], client['name'], client['authorizedGrantType'], client['state']) == (
        robot['id'], 'robot', 'CLIENT-CREDENTIALS', 'active')
    assert client['organization'] == organization and 'secret' not in client
    assert_error(requests.get(control.url + TOKENS_ME, headers={'Authorization': 'Bearer nope'}), 401, 'bad.credentials')
    # A rotation revokes the client's tokens: tokens/me then refuses the old one too.
    control.api('POST', '%s/%s/secret' % (CLIENTS, robot['id']))
    assert requests.get(control.url + TOKENS_ME, headers={'Authorization': 'Bearer ' + token}).status_code == 401

    control.configure(tokens_me='no_client')
    assert set(control.api('GET', TOKENS_ME).json()) == {'organization', 'homeOrganization'}
    control.configure(tokens_me='forbidden')
    assert_error(control.api('GET', TOKENS_ME), 403, 'missing.permissions')
    control.reset()
    assert control.api('GET', TOKENS_ME).json()['OAuthClient']['id'] == ADMIN_CLIENT_ID


def test_listing_pages_with_next_uri(control):
    for number in range(4):
        control.create_client(name='c%d' % number, authorizedGrantType='CODE')
    page = control.api('GET', CLIENTS, params=dict(pageSize=2)).json()
    assert (page['total'], page['pageCount'], len(page['entities'])) == (5, 3, 2)
    assert page['nextUri'] == CLIENTS + '?pageSize=2&pageNumber=2'
    last = control.api('GET', page['lastUri']).json()
    assert 'nextUri' not in last and len(last['entities']) == 1 and last['previousUri']
    control.configure(max_page_size=3)
    assert control.api('GET', CLIENTS, params=dict(pageSize=100)).json()['pageSize'] == 3


def test_rate_limit_answers_429_with_retry_after(control):
    control.configure(rate_limit=2, rate_limit_window=30)
    statuses = [control.api('GET', CLIENTS), control.api('GET', CLIENTS), control.api('GET', CLIENTS)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert_rate_limited(statuses[2])
    assert 1 <= int(statuses[2].headers['Retry-After']) <= 30
    # Per token: a new token has its own budget.
    other = control.token()
    assert requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + other}).status_code == 200


def test_faults_match_method_and_path_and_run_out(control):
    control.fault(method='GET', path='^/api/v2/oauth/clients$', status=503, count=2, retry_after=3, message='down')
    first = control.api('GET', CLIENTS)
    assert first.status_code == 503 and first.headers['Retry-After'] == '3' and first.json()['message'] == 'down'
    assert control.api('POST', CLIENTS, json=dict(name='n', authorizedGrantType='CODE')).status_code == 200
    assert control.api('GET', CLIENTS).status_code == 503
    assert control.api('GET', CLIENTS).status_code == 200


def test_an_injected_429_is_the_normalised_one_and_its_wait_alone_is_chosen(control):
    control.fault(method='GET', path='^/api/v2/oauth/clients$', status=429, retry_after=7)
    assert_rate_limited(control.api('GET', CLIENTS), wait=7)
    control.fault(method='POST', path='^/oauth/token$', status=429)
    assert_rate_limited(requests.post(control.url + '/oauth/token', auth=('emulator-admin', 'x'),
                                      data=dict(grant_type='client_credentials')), wait=1)
    refused = requests.post(control.url + '/__emulator/faults', json=dict(status=429, code='too.many.requests'))
    assert refused.status_code == 400 and 'retry_after' in refused.json()['message']


def test_request_log_records_api_calls_only(control):
    control.api('GET', CLIENTS)
    control.configure(page_size=10)
    log = control.requests()
    assert [(r['method'], r['path'], r['status']) for r in log] == [('POST', '/oauth/token', 200), ('GET', CLIENTS, 200)]
    assert log[1]['client_id'] == 'emulator-admin'


def test_fault_after_lets_requests_through_first(control):
    control.fault(method='GET', path='^/api/v2/oauth/clients$', status=500, after=1, count=1)
    statuses = [control.api('GET', CLIENTS).status_code, control.api('GET', CLIENTS).status_code,
                control.api('GET', CLIENTS).status_code]
    assert statuses == [200, 500, 200]


def test_strict_mode_refuses_fields_and_types_the_request_model_lacks(control):
    body = dict(name='x', authorizedGrantType='CODE')
    assert control.api('POST', CLIENTS, json=dict(body, colour='blue')).status_code == 200  # lenient by default
    control.configure(strict=True)
    for extra, text in ((dict(colour='blue'), 'Unrecognized field "colour"'),
                        (dict(accessTokenValiditySeconds='3600'), 'accessTokenValiditySeconds must be of type int'),
                        (dict(roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID, division='x')]), 'roleDivisions[0].division'),
                        (dict(state=None), 'state must not be null')):
        answer = assert_error(control.api('POST', CLIENTS, json=dict(body, **extra)), 400, 'bad.request')
        assert text in answer['message'], answer['message']
    query = dict(interval='2026-01-01T00:00:00Z/2026-01-02T00:00:00Z', metric=['Requests'])
    answer = assert_error(control.api('POST', CLIENTS + '/emulator-admin/usage/query', json=query), 400, 'bad.request')
    assert 'Unrecognized field "metric"' in answer['message']


def test_faults_can_answer_a_raw_body(control):
    control.fault(method='GET', path='/divisions/home$', body='null')
    answer = control.api('GET', '/api/v2/authorization/divisions/home')
    assert answer.status_code == 200 and answer.text == 'null'
    control.fault(method='POST', path='^/oauth/token$', body='<html>')
    assert requests.post(control.url + '/oauth/token').text == '<html>'


def test_a_lost_response_fault_does_the_work_and_answers_the_error(control):
    created = control.create_client(name='s', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.fault(method='POST', path='/secret$', status=503, lose_response=True)
    answer = control.api('POST', CLIENTS + '/' + created['id'] + '/secret')
    assert_error(answer, 503, 'injected.fault')
    assert control.client_secret(created['id']) != created['secret']


def test_request_delay_holds_api_requests_but_not_the_test_endpoints(control):
    control.configure(request_delay=1.0)
    started = time.monotonic()
    control.token()
    assert time.monotonic() - started >= 1.0
    started = time.monotonic()
    control.requests()
    assert time.monotonic() - started < 1.0


def test_a_request_is_logged_before_its_answer_goes_out(emulator, control, monkeypatch):
    """A test that has the answer must find the request in the log (it was once logged after the answer, so a
    clear_requests() right after a request could miss it and the entry turned up in the next test's log)."""
    logged = emulator.log

    def slow_log(entry):
        time.sleep(0.3)  # a busy server thread
        logged(entry)

    monkeypatch.setattr(emulator, 'log', slow_log)
    requests.get(control.url + '/api/v2/oauth/clients/missing', timeout=10)
    assert [(r['method'], r['path'], r['status']) for r in control.requests()] == [
        ('GET', '/api/v2/oauth/clients/missing', 401)]


def test_a_lost_response_with_a_body_does_the_work_and_answers_that_body(control):
    created = control.create_client(name='s', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.fault(method='POST', path='/secret$', body='<html>OK</html>', lose_response=True)
    answer = control.api('POST', CLIENTS + '/' + created['id'] + '/secret')
    assert answer.status_code == 200 and answer.text == '<html>OK</html>'
    assert control.client_secret(created['id']) != created['secret']


def test_a_body_without_lose_response_does_not_do_the_work(control):
    created = control.create_client(name='s', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.fault(method='POST', path='/secret$', body='<html>OK</html>')
    assert control.api('POST', CLIENTS + '/' + created['id'] + '/secret').status_code == 200
    assert control.client_secret(created['id']) == created['secret']


def test_a_dripped_answer_is_the_whole_answer_sent_a_byte_at_a_time(control):
    token = control.token()
    headers = {'Authorization': 'Bearer ' + token}
    plain = requests.get(control.url + CLIENTS, headers=headers).json()
    control.fault(method='GET', path=CLIENTS + '$', drip=0.001)
    dripped = requests.get(control.url + CLIENTS, headers=headers)
    assert dripped.status_code == 200 and dripped.json()['entities'] == plain['entities']
    # An injected error drips the same way, and the fault is used up after its count.
    control.fault(method='GET', path=CLIENTS + '$', status=503, drip=0.001)
    failed = requests.get(control.url + CLIENTS, headers=headers)
    assert failed.status_code == 503 and failed.json()['code'] == 'injected.fault'
    assert requests.get(control.url + CLIENTS, headers=headers).status_code == 200


def test_a_client_that_gives_up_mid_drip_leaves_the_emulator_serving(control):
    token = control.token()
    control.fault(method='GET', path=CLIENTS + '$', drip=0.05)
    parts = urlsplit(control.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(('GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n'
                      % (CLIENTS, parts.netloc, token)).encode())
        received = b''
        while b'\r\n\r\n' not in received:
            received += sock.recv(65536)
        head, body = received.split(b'\r\n\r\n', 1)
        length = int(re.search(rb'Content-Length: (\d+)', head).group(1))
        body += sock.recv(65536)
        # The headers came at once; the body is still coming, a byte at a time.
        assert head.startswith(b'HTTP/1.1 200') and 0 < len(body) < length
    again = requests.get(control.url + CLIENTS, headers={'Authorization': 'Bearer ' + token})
    assert again.status_code == 200 and json.loads(again.text)['entities']
    assert [(r['method'], r['path']) for r in control.requests()].count(('GET', CLIENTS)) == 2
