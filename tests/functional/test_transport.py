"""Where requests go and how, with real ansible-playbook runs (issue 17, promise 2): credentials and secrets go only
to the origin the task named. A decoy listener on loopback records whatever reaches it; a small proxy in front of the
emulator answers with redirects where the emulator cannot. Also: TLS verification fails at once and says how to fix
it, timeout is a deadline for the whole answer, and a refused wait says what was refused."""

import json

import pytest

from emulator_control import Listener
from genesys_emulator import ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET
from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import cc_client, kept_result_tasks, start_emulator, stop_emulator, task
from tls_cert import write_self_signed

CLIENTS = '/api/v2/oauth/clients'
CREDENTIALS = '/api/v2/integrations/credentials'
TASK_CREDENTIALS = dict(auth_client_id=ADMIN_CLIENT_ID, auth_client_secret=ADMIN_CLIENT_SECRET)
# A region's https URL goes through this proxy, which refuses connections: nothing leaves the machine.
NO_INTERNET = dict(HTTPS_PROXY='http://127.0.0.1:9', https_proxy='http://127.0.0.1:9', NO_PROXY='', no_proxy='')


def info(name, **args):
    return {'name': name, 'genesys.cloud.oauth_client_info': args, 'ignore_errors': True}


@pytest.fixture(scope='module')
def tls_emulator(tmp_path_factory):
    folder = tmp_path_factory.mktemp('tls')
    cert, key = write_self_signed(folder)
    process, url = start_emulator(str(folder), '--tls-cert', cert, '--tls-key', key)
    yield url, cert
    stop_emulator(process)


# Case 5: a task's (or an orgs entry's) region or api_url beats every environment variable for the API location.

def test_a_task_region_beats_genesyscloud_api_url(playbook, control, listeners):
    decoy = listeners()
    tasks = [info('region in the task', region='eu-west-1', max_retries=0, **TASK_CREDENTIALS),
             {'name': 'region in module_defaults', 'module_defaults': {'group/genesys.cloud.genesys': dict(
                 region='eu-west-1', max_retries=0)}, 'genesys.cloud.oauth_client_info': {}, 'ignore_errors': True}]
    run = playbook(tasks, env=dict(NO_INTERNET, GENESYSCLOUD_API_URL=decoy.url))
    assert decoy.log == []
    for title in ('region in the task', 'region in module_defaults'):
        assert run.status(title) == 'failed'
        assert 'could not reach https://login.mypurecloud.ie/oauth/token' in run[title]['msg'], run[title]['msg']
    assert control.requests() == []


def test_a_task_api_url_beats_genesyscloud_api_url_and_region(playbook, control, listeners):
    decoy = listeners()
    run = playbook([info('api_url in the task', api_url=control.url, **TASK_CREDENTIALS)],
                   env=dict(GENESYSCLOUD_API_URL=decoy.url, GENESYSCLOUD_REGION='eu-west-1'))
    assert run.status('api_url in the task') == 'ok', run.output
    assert decoy.log == []
    assert ('POST', '/oauth/token') in [(r['method'], r['path']) for r in control.requests()]


def test_credentials_in_a_task_that_names_no_location_go_to_the_environment_location(playbook, control, listeners):
    """The documented precedence: the login and the location are resolved each on its own, task first."""
    run = playbook([info('no location', **TASK_CREDENTIALS)], credentials=False)
    assert run.status('no location') == 'ok', run.output
    assert [r['client_id'] for r in control.requests() if r['path'] == '/oauth/token'] == [ADMIN_CLIENT_ID]


# Case 6: no request follows a redirect to another origin; a write never follows one.

def test_a_redirected_credential_update_sends_the_secret_nowhere_and_keeps_it(playbook, control, listeners, tmp_path):
    client = cc_client(control)
    credential = control.create_credential('billing-actions', client['id'], client['secret'])
    decoy = listeners()

    def redirect_credential_puts(handler):
        if handler.command == 'PUT' and handler.path.startswith(CREDENTIALS + '/'):
            return 307, {'Location': decoy.url + handler.path}, {}
        return None

    proxy = listeners(Listener.forward_to(control.url, redirect_credential_puts))
    out = tmp_path / 'out.json'
    run = playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', api_url=proxy.url,
                                     integration_credential='billing-actions'))
    assert run.status('rotate') == 'failed', run.output
    result = json.loads(out.read_text())
    assert decoy.log == []
    assert [(r['method'], r['path']) for r in proxy.log].count(('PUT', CREDENTIALS + '/' + credential['id'])) == 1
    assert 'WAS rotated' in result['msg'] and 'redirect to %s%s/%s' % (decoy.url, CREDENTIALS, credential['id']) in result['msg']
    assert 'not followed, nothing was sent there' in result['msg']
    assert result['deliveries']['integration_credential'] == 'failed'
    # The new secret is not lost: the credential did not get it, the result carries it, and it logs in.
    assert result['secret'] and result['secret'] not in result['msg']
    assert result['secret'] == control.client_secret(client['id'])


def test_a_redirected_login_sends_the_credentials_nowhere(playbook, control, listeners):
    decoy = listeners()
    proxy = listeners(Listener.forward_to(control.url, lambda handler: (
        (308, {'Location': decoy.url + handler.path}, {}) if handler.path == '/oauth/token' else None)))
    run = playbook([info('login', api_url=proxy.url, **TASK_CREDENTIALS)])
    assert run.status('login') == 'failed'
    assert 'redirect to %s/oauth/token' % decoy.url in run['login']['msg']
    assert 'not followed, nothing was sent there' in run['login']['msg'] and '(HTTP 30' in run['login']['msg']
    assert decoy.log == [] and [entry['path'] for entry in proxy.log] == ['/oauth/token']


# Case 22: timeout bounds each request's whole answer. No timing is asserted: the run must end (the harness's
# subprocess timeout guards it) with the timeout named.

def test_an_answer_that_drips_in_fails_at_the_timeout(playbook, control):
    control.fault(method='GET', path=CLIENTS + '$', drip=0.5, count=5)
    run = playbook([info('slow', timeout=1, max_retries=0)])
    assert run.status('slow') == 'failed'
    message = run['slow']['msg']
    assert 'no complete answer from %s%s within timeout (1 s)' % (control.url, CLIENTS) in message, message
    assert 'raise timeout' in message


# Case 23: a wait over max_retry_wait is refused at once, saying so and how to allow it. Issue 21: a refused wait and
# spent retries name the status, the wait the API asked for, max_retry_wait and the correlation id; every result
# counts its retries in api_retries.

def retries(requests=0, retry_count=0, rate_limited=0, seconds_waited=0.0):
    return dict(requests=requests, retries=retry_count, rate_limited=rate_limited, seconds_waited=seconds_waited)


def test_a_retry_after_over_max_retry_wait_says_what_was_refused(playbook, control):
    control.fault(method='GET', path=CLIENTS + '$', status=429, retry_after=3600, count=5)
    run = playbook([info('throttled')])
    assert run.status('throttled') == 'failed'
    result = run['throttled']
    message, context_id = result['msg'], result['api_error']['context_id']
    assert message.startswith('Rate limit exceeded the maximum. Retry the request in [3600] seconds; '), message
    assert 'the API asked to wait 3600 s (Retry-After), over max_retry_wait (120 s)' in message, message
    assert 'raise max_retry_wait' in message and '(HTTP 429, code too.many.requests.retry.after' in message
    assert context_id and 'correlation id %s' % context_id in message
    assert result['api_retries'] == retries(rate_limited=1)
    assert [(r['method'], r['path']) for r in control.requests()].count(('GET', CLIENTS)) == 1


def test_spent_retries_name_the_status_the_wait_max_retry_wait_and_the_correlation_id(playbook, control):
    control.fault(method='GET', path=CLIENTS + '$', status=429, retry_after=1, count=5)
    run = playbook([info('throttled', max_retries=2, max_retry_wait=30)])
    result = run['throttled']
    assert run.status('throttled') == 'failed'
    assert ('Retry the request in [1] seconds; max_retries (2) spent after 2 s of waiting (max_retry_wait 30 s), and '
            'the API asked to wait 1 s more (Retry-After): send fewer requests, or raise max_retries (HTTP 429, code '
            'too.many.requests.retry.after, correlation id %s, after 2 retries)'
            % result['api_error']['context_id']) in result['msg'], result['msg']
    assert result['api_retries'] == retries(1, 2, 3, 2.0)
    assert [(r['method'], r['path'], r['status']) for r in control.requests()].count(('GET', CLIENTS, 429)) == 3


def test_every_result_counts_its_retries_in_check_mode_too(playbook, control):
    # The listing is rate limited twice for the first task, then once for the second (after skips the first
    # task's last GET, which the first fault no longer answers).
    control.fault(method='GET', path=CLIENTS + '$', status=429, retry_after=1, count=2)
    control.fault(method='GET', path=CLIENTS + '$', status=429, retry_after=0, count=1, after=1)
    run = playbook([info('listed'),
                    dict(task('planned', 'oauth_client', name='new', grant_type='code',
                              redirect_uris=['https://app.example.com/cb']), check_mode=True),
                    task('quiet', 'oauth_scope_info')])
    assert [run.status(name) for name in ('listed', 'planned', 'quiet')] == ['ok', 'changed', 'ok'], run.output
    assert run['listed']['api_retries'] == retries(1, 2, 2, 2.0)
    assert run['planned']['api_retries'] == retries(1, 1, 1, 0.0)
    assert run['quiet']['api_retries'] == retries()
    assert control.clients_named('new') == []


def test_a_create_the_api_did_then_answered_with_a_redirect_is_recovered(playbook, control, listeners, tmp_path):
    """A redirect is an answer from the API, which may have acted on the write first: the create's outcome is
    unknown, so the client it made is found, its secret rotated at once and delivered (review of issue 17)."""
    relay = Listener.forward_to(control.url)

    def do_then_redirect(handler):
        if handler.command == 'POST' and handler.path == '/api/v2/oauth/clients':
            relay(handler)  # the API does the work ...
            return 302, {'Location': '/login'}, b''  # ... and a gateway answers elsewhere
        return None

    proxy = listeners(Listener.forward_to(control.url, do_then_redirect))
    dest = tmp_path / 'made.json'
    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('create', 'oauth_client', out, api_url=proxy.url, name='svc-made',
                               grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)],
                               dest=str(dest), dest_format='json'))
    result = json.loads(out.read_text())
    made = control.clients_named('svc-made')
    assert len(made) == 1 and result['changed'] and result['recovered'], result.get('msg')
    assert json.loads(dest.read_text())['client_secret'] == control.client_secret(made[0]['id'])


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
