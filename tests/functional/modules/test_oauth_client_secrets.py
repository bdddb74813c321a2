"""genesys.cloud.oauth_client_secrets: many rotations in one module run, each as oauth_client_secret does them."""


import pytest

from genesys_emulator.seed import ADMIN_ROLE_ID
from helpers import by_path, cc_client, kept_result_tasks, logged_in_as, read, task

CREDENTIALS = '/api/v2/integrations/credentials'
CLIENTS = '/api/v2/oauth/clients'
TOKENS_ME = '/api/v2/tokens/me'


def rotate_all(tmp_path, **args):
    return kept_result_tasks('rotate', 'oauth_client_secrets', tmp_path / 'out.json', **args)


def test_bad_entries_are_all_refused_before_any_request(playbook, control, tmp_path):
    cc_client(control, 'first')
    control.clear_requests()
    shared = str(tmp_path / 'shared.secret')
    playbook(rotate_all(tmp_path, clients=[
        dict(name='first', dest=shared),
        dict(name='second', dest=shared),
        dict(dest=str(tmp_path / 'nobody.secret')),
        dict(name='third', rotate='sometimes'),
        dict(name='fourth', rotate='when_needed'),
        dict(name='fifth', integration_credentail='typo'),
    ]))
    result = read(tmp_path / 'out.json')
    assert result['failed'] and not result['changed']
    for expected in ('is given to several clients', 'clients[2]: one of the following is required: client_id, name',
                     'clients[3]: value of rotate must be one of: always, when_needed',
                     'clients[4]: rotate is when_needed but any of the following are missing: dest, integration_credential',
                     'clients[5]: ', 'integration_credentail'):
        assert expected in result['msg'], result['msg']
    assert control.requests() == []


@pytest.mark.smoke
def test_every_client_is_attempted_and_a_failed_delivery_keeps_its_secret(playbook, control, tmp_path):
    first, second, third = (cc_client(control, name) for name in ('first', 'second', 'third'))
    credential = control.create_credential('second-actions', second['id'], second['secret'])
    control.fault(method='PUT', path=CREDENTIALS + '/' + credential['id'], status=400, count=5, message='credential rejected')
    control.clear_requests()
    playbook(rotate_all(tmp_path, defaults=dict(verify=True), clients=[
        dict(name='first', dest=str(tmp_path / 'first.secret')),
        dict(name='nobody', dest=str(tmp_path / 'nobody.secret')),
        dict(client_id=second['id'], integration_credential='second-actions'),
        dict(name='third'),
    ]))
    result = read(tmp_path / 'out.json')
    assert result['failed'] and result['changed']
    outcomes = {outcome['name']: outcome for outcome in result['clients']}
    assert [outcome['action'] for outcome in result['clients']] == ['rotated', 'failed', 'failed', 'rotated']
    assert 'no OAuth client' in outcomes['nobody']['msg']
    assert outcomes['second']['deliveries']['integration_credential'] == 'failed'
    assert 'WAS rotated' in outcomes['second']['msg'] and 'credential rejected' in outcomes['second']['msg']
    # Every rotated client's new secret is in its entry, the failed delivery's too.
    for client in (first, second, third):
        assert outcomes[client['name']]['secret'] == control.client_secret(client['id'])
    assert (tmp_path / 'first.secret').read_text().strip() == control.client_secret(first['id'])
    assert '2 of 4 clients failed' in result['msg'] and 'nobody' in result['msg']
    assert control.client_secret(first['id']) not in result['msg']


def test_check_mode_decides_each_client_and_writes_nothing(playbook, control, tmp_path):
    first, second = cc_client(control, 'first'), cc_client(control, 'second')
    (tmp_path / 'second.secret').write_text(second['secret'] + '\n')
    control.clear_requests()
    run = playbook([{'name': 'rotate', 'genesys.cloud.oauth_client_secrets': dict(
        defaults=dict(rotate='when_needed'), clients=[
            dict(name='first', dest=str(tmp_path / 'first.secret')),
            dict(name='second', dest=str(tmp_path / 'second.secret'))])}], check=True)
    result = run['rotate']
    assert run.status('rotate') == 'changed', run.output
    assert [(o['name'], o['action']) for o in result['clients']] == [('first', 'rotated'), ('second', 'unchanged')]
    assert 'missing' in result['clients'][0]['reason'] and 'secret' not in result['clients'][0]
    assert control.writes() == [] and not (tmp_path / 'first.secret').exists()
    assert control.client_secret(first['id']) == first['secret']


@pytest.mark.parametrize('token', [False, True], ids=['client_credentials', 'auth_token'])
def test_the_login_client_goes_last_and_only_with_allow_self_rotation(playbook, control, tmp_path, token):
    """With auth_token, GET /api/v2/tokens/me (once a run) tells which client the token is; client credentials say it."""
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    others = [cc_client(control, name) for name in ('first', 'second')]
    control.clear_requests()
    playbook(logged_in_as(robot, rotate_all(tmp_path, defaults=dict(verify=False), clients=[
        dict(name='robot', allow_self_rotation=True, dest=str(tmp_path / 'robot.secret')),
        dict(name='first', dest=str(tmp_path / 'first.secret')),
        dict(name='second', dest=str(tmp_path / 'second.secret'))]), token=token))
    result = read(tmp_path / 'out.json')
    assert not result.get('failed'), result.get('msg')
    assert [outcome['name'] for outcome in result['clients']] == ['first', 'second', 'robot']
    posts = [r['path'].split('/')[-2] for r in control.requests() if r['path'].endswith('/secret')]
    assert posts == [others[0]['id'], others[1]['id'], robot['id']]
    assert (tmp_path / 'robot.secret').read_text().strip() == control.client_secret(robot['id'])
    # One login (the module's, or access_token's), one walk of the listing, and with a token one tokens/me.
    assert by_path(control.requests()) == dict({'POST /oauth/token': 1, 'GET ' + CLIENTS: 1, 'GET ' + TOKENS_ME: 1}
                                               if token else {'POST /oauth/token': 1, 'GET ' + CLIENTS: 1},
                                               **{'POST %s/%s/secret' % (CLIENTS, client['id']): 1 for client in [robot] + others})
    # Without allow_self_rotation the login client is refused, and the others still rotate.
    robot = dict(robot, secret=control.client_secret(robot['id']))
    playbook(logged_in_as(robot, rotate_all(tmp_path, defaults=dict(verify=False), clients=[
        dict(client_id=robot['id'], dest=str(tmp_path / 'robot.secret')),
        dict(name='first', dest=str(tmp_path / 'first.secret'))]), token=token))
    result = read(tmp_path / 'out.json')
    assert [outcome['action'] for outcome in result['clients']] == ['rotated', 'failed']
    assert 'allow_self_rotation' in result['clients'][1]['msg']
    assert control.client_secret(robot['id']) == robot['secret']


def test_when_the_api_will_not_tell_whose_the_token_is_the_rotation_warns_once_and_keeps_the_order_given(
        playbook, control, tmp_path):
    robot = control.create_client(name='robot', roleDivisions=[dict(roleId=ADMIN_ROLE_ID, divisionId='*')])
    cc_client(control, 'first')
    control.configure(tokens_me='forbidden')
    control.clear_requests()
    run = playbook(logged_in_as(robot, [task('rotate', 'oauth_client_secrets', clients=[
        dict(name='robot', dest=str(tmp_path / 'robot.secret')), dict(name='first', dest=str(tmp_path / 'first.secret'))])],
        token=True), check=True)
    # As before tokens/me: the login client is neither refused without allow_self_rotation nor moved to the end.
    assert [(o['name'], o['action']) for o in run['rotate']['clients']] == [('robot', 'rotated'), ('first', 'rotated')]
    assert run.times('the API refused to tell whose the token is') == 1, run.output
    assert run.says('allow_self_rotation cannot refuse rotating its secret, and oauth_client_secrets cannot rotate it last')
    assert by_path(control.requests())['GET ' + TOKENS_ME] == 1 and control.writes() == []


# --- case 9: two entries for one client in oauth_client_secrets ------------------------------------------------

def test_two_entries_for_one_client_are_refused_before_any_write(playbook, control, tmp_path):
    client = cc_client(control, 'svc-dup')
    cc_client(control, 'other')
    control.clear_requests()
    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secrets', out, clients=[
        dict(name='other', dest=str(tmp_path / 'other')),
        dict(name='svc-dup', dest=str(tmp_path / 'a')),
        dict(client_id=client['id'], dest=str(tmp_path / 'b'))]))
    result = read(out)
    assert result['failed'] and result['changed'] is False and 'clients' not in result
    assert 'clients[1] (name svc-dup)' in result['msg'] and 'clients[2] (client_id %s)' % client['id'] in result['msg']
    assert control.writes() == [] and control.client_secret(client['id']) == client['secret']
    assert not any((tmp_path / name).exists() for name in ('a', 'b', 'other'))
