"""return_secret: a new secret is delivered and kept out of the result unless asked for, never kept nowhere, and
handed back whatever return_secret says when no delivery kept it (issue 18)."""

import json

import pytest

from helpers import kept_result_tasks, read
from genesys_emulator.seed import EMPLOYEE_ROLE_ID

CLIENTS = '/api/v2/oauth/clients'
CREDENTIALS = '/api/v2/integrations/credentials'
CC = dict(grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])


def default_task(module, title, **args):
    """A task with the module's own default for return_secret (helpers.task sets it true)."""
    return {'name': title, 'genesys.cloud.' + module: args, 'register': 'out', 'ignore_errors': True}


@pytest.mark.smoke
def test_a_create_delivers_the_secret_and_keeps_it_out_of_the_result_so_the_task_needs_no_no_log(playbook, control,
                                                                                                 tmp_path):
    dest = tmp_path / 'billing.json'
    args = dict(CC, name='billing', dest=str(dest), dest_format='json')
    plan = playbook([default_task('oauth_client', 'create', **args)], check=True, diff=True)
    assert plan.status('create') == 'changed' and control.writes() == []
    assert '"name": "billing"' in plan.output  # the diff is shown: no no_log hides it

    run = playbook([default_task('oauth_client', 'create', **args)], diff=True)
    result = run['create']
    assert run.status('create') == 'changed', run.output
    assert 'secret' not in result['client'] and result['deliveries']['dest'] == 'done'
    kept = json.loads(dest.read_text())
    assert kept['client_id'] == result['client']['id']
    assert control.client_secret(result['client']['id']) == kept['client_secret']
    assert kept['client_secret'] not in json.dumps(result)


def test_a_create_whose_secret_would_be_kept_nowhere_is_refused_before_any_write_in_check_mode_too(playbook, control):
    for check in (True, False):
        run = playbook([default_task('oauth_client', 'create', **dict(CC, name='nowhere'))], check=check)
        assert run.status('create') == 'failed', run.output
        message = run['create']['msg']
        for option in ('dest', 'integration_credential', 'return_secret=true', 'no_log'):
            assert option in message, message
        assert run['create']['changed'] is False
    assert control.writes() == [] and control.clients_named('nowhere') == []


def test_return_secret_puts_the_new_secret_in_the_result(playbook, control, tmp_path):
    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('create', 'oauth_client', out, **dict(CC, name='asked', return_secret=True)))
    client = read(out)['client']
    assert control.client_secret(client['id']) == client['secret']


def test_a_secret_kept_by_dest_stays_out_of_a_failed_result_and_the_message_says_where_it_is(playbook, control,
                                                                                             tmp_path):
    dest = tmp_path / 'billing.secret'
    control.fault(method='POST', path=CREDENTIALS + '$', status=500)
    args = dict(CC, name='billing', dest=str(dest), integration_credential='billing-actions', create_credential=True)
    run = playbook([default_task('oauth_client', 'create', **args)])
    result = run['create']
    assert run.status('create') == 'failed' and result['changed'] is True, run.output
    assert result['deliveries'] == dict(dest='done', integration_credential='failed', verify='not requested')
    assert 'secret' not in result['client']
    assert 'kept in dest' in result['msg'] and 'return_secret=false' in result['msg'], result['msg']
    assert control.client_secret(result['client']['id']) == dest.read_text().strip()


def shown_and_kept(module, title, result_file, **args):
    """The task WITHOUT no_log, as the docs now write it, and a no_log task that keeps what it registered."""
    return [default_task(module, title, **args),
            {'name': 'keep ' + title, 'no_log': True, 'check_mode': False,
             'ansible.builtin.copy': {'content': '{{ out | to_json }}', 'dest': str(result_file), 'mode': '0600'}}]


def test_a_secret_no_delivery_kept_is_handed_back_and_still_never_shown(playbook, control, tmp_path):
    """Losing it would be worse than showing it, and showing it is not needed: the credential was its only
    delivery and it failed, so the result holds it, and the modules' action hides that result as under no_log
    (the playbook fixture fails on any issued secret in the output, here at -vvv)."""
    out = tmp_path / 'out.json'
    control.fault(method='POST', path=CREDENTIALS + '$', status=500)
    args = dict(CC, name='billing', integration_credential='billing-actions', create_credential=True)
    run = playbook(shown_and_kept('oauth_client', 'create', out, **args), verbosity=3)
    assert run.status('create') == 'failed', run.output
    result = read(out)
    assert result['failed'] and result['deliveries']['integration_credential'] == 'failed'
    assert control.client_secret(result['client']['id']) == result['client']['secret']
    assert 'in this result as client.secret' in result['msg']


def test_a_failed_result_that_holds_an_asked_for_secret_is_never_shown(playbook, control, tmp_path):
    """Ansible prints a failure whatever the verbosity: a failed task without no_log must not print the secret that
    return_secret put in its result (here the credential failed after the create; the dest kept a copy)."""
    out = tmp_path / 'out.json'
    control.fault(method='POST', path=CREDENTIALS + '$', status=500)
    run = playbook(shown_and_kept('oauth_client', 'create', out, **dict(
        CC, name='asked', return_secret=True, dest=str(tmp_path / 'asked.secret'), integration_credential='actions',
        create_credential=True)))
    assert run.status('create') == 'failed', run.output
    secret = read(out)['client']['secret']
    assert control.client_secret(control.clients_named('asked')[0]['id']) == secret


def test_a_many_client_run_that_fails_hides_the_secrets_its_entries_asked_for(playbook, control, tmp_path):
    control.create_client(name='present', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    out = tmp_path / 'out.json'
    run = playbook(shown_and_kept('oauth_client_secrets', 'rotate', out, clients=[
        dict(name='present', return_secret=True), dict(name='absent', return_secret=True)]))
    assert run.status('rotate') == 'failed', run.output
    rotated, missing = read(out)['clients']
    assert rotated['action'] == 'rotated' and missing['action'] == 'failed'
    assert control.client_secret(rotated['id']) == rotated['secret']


def test_a_result_without_a_secret_is_shown_as_usual(playbook, control, tmp_path):
    run = playbook([default_task('oauth_client', 'create', **dict(CC, name='billing', dest=str(tmp_path / 'b.secret')))],
                   verbosity=1)
    assert run.status('create') == 'changed'
    assert '"deliveries"' in run.output  # -v shows the result: nothing in it needs hiding


def test_a_rotation_with_no_delivery_and_no_return_secret_is_refused_before_any_request(playbook, control):
    client = control.create_client(name='billing', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([default_task('oauth_client_secret', 'rotate', name='billing')])
    assert run.status('rotate') == 'failed', run.output
    assert 'return_secret=true' in run['rotate']['msg'] and 'dest' in run['rotate']['msg']
    assert control.requests() == [] and control.logs_in(client['id'], client['secret'])


def test_a_rotation_keeps_a_delivered_secret_out_of_the_result_unless_asked(playbook, control, tmp_path):
    client = control.create_client(name='billing', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    dest = tmp_path / 'billing.secret'
    run = playbook([default_task('oauth_client_secret', 'rotate', name='billing', dest=str(dest))])
    assert run.status('rotate') == 'changed' and 'secret' not in run['rotate'], run.output
    assert control.logs_in(client['id'], dest.read_text().strip())

    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secret', out, name='billing', dest=str(dest), return_secret=True))
    assert read(out)['secret'] == dest.read_text().strip()


def test_the_many_client_modules_take_return_secret_per_entry_and_refuse_an_entry_that_keeps_nothing(playbook, control,
                                                                                                     tmp_path):
    out = tmp_path / 'out.json'
    entries = [dict(name='filed', dest=str(tmp_path / 'filed.secret')), dict(name='asked', return_secret=True)]
    # One entry that would keep its secret nowhere refuses the run before its first write, not at that entry's turn.
    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=dict(CC, return_secret=False),
                               clients=entries + [dict(name='nowhere')]))
    refused = read(out)
    assert refused['failed'] and not refused['changed'], refused
    assert "clients[2]: creating OAuth client 'nowhere'" in refused['msg'] and 'return_secret=true' in refused['msg']
    assert control.writes() == []

    playbook(kept_result_tasks('declare', 'oauth_clients', out, defaults=dict(CC, return_secret=False), clients=entries))
    filed, asked = read(out)['clients']
    assert filed['action'] == 'created' and 'secret' not in filed
    assert asked['action'] == 'created' and control.client_secret(asked['id']) == asked['secret']

    control.clear_requests()
    playbook(kept_result_tasks('rotate', 'oauth_client_secrets', out, defaults=dict(return_secret=False), clients=[
        dict(name='filed', dest=str(tmp_path / 'filed.secret')), dict(name='asked')]))
    assert 'return_secret=true' in read(out)['msg'] and control.writes() == []  # refused before any rotation

    playbook(kept_result_tasks('rotate', 'oauth_client_secrets', out, defaults=dict(return_secret=False), clients=[
        dict(name='filed', dest=str(tmp_path / 'filed.secret')), dict(name='asked', return_secret=True)]))
    filed, asked = read(out)['clients']
    assert filed['action'] == 'rotated' and 'secret' not in filed
    assert asked['action'] == 'rotated' and control.client_secret(asked['id']) == asked['secret']


def test_two_entries_may_not_share_an_integration_credential(playbook, control, tmp_path):
    """The second rotation would overwrite the first client's new secret in the credential, where alone it was kept."""
    for name in ('first', 'second'):
        control.create_client(name=name, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    out = tmp_path / 'out.json'
    playbook(kept_result_tasks('rotate', 'oauth_client_secrets', out, defaults=dict(
        integration_credential='shared', create_credential=True, take_over_credential=True, return_secret=False),
        clients=[dict(name='first'), dict(name='second')]))
    refused = read(out)
    assert 'integration_credential shared is given to several clients (first, second)' in refused['msg'], refused
    assert control.requests() == []
