"""Fields of a live client the collection does not know survive every write of oauth_client and oauth_clients
(client_model's from_api and to_request, issue 21): an API newer than the SDK, whose PUT replaces the whole client,
never loses an IP allowlist set in the UI to an idempotent run, an update, a rename or the deactivation before a
delete. The emulator is configured with that field (added_client_fields), so strict mode accepts it and a PUT
without it deletes it, as the real API's would."""

import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import task

# A field the SDK (269) does not have: an allowlist as the API may add it, and a nested one, sent back alike.
ADDED = dict(allowedIpAddresses='list[str]', ipPolicy='object')
UNKNOWN = dict(allowedIpAddresses=['203.0.113.0/24', '198.51.100.7/32'], ipPolicy=dict(mode='allow', audit=True))
DECLARED = dict(name='payments', grant_type='client_credentials', roles=[dict(role_id=EMPLOYEE_ROLE_ID)])


@pytest.fixture
def allowlisted(control):
    """A client-credentials client with the fields the collection does not know, made through the (newer) API."""
    control.configure(added_client_fields=ADDED)
    client = control.create_client(name='payments', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)], **UNKNOWN)
    control.clear_requests()
    return client


def declared(module, title, **entry):
    """One client declared by oauth_client, or by oauth_clients as its one entry."""
    if module == 'oauth_client':
        return task(title, module, **entry)
    return task(title, module, clients=[entry])


def unknown_fields_of(body):
    return {key: body.get(key) for key in UNKNOWN}


@pytest.mark.parametrize('module', ['oauth_client', 'oauth_clients'])
def test_unknown_fields_survive_an_unchanged_run_an_update_a_rename_and_a_delete(playbook, control, allowlisted, module):
    run = playbook([declared(module, 'unchanged', **DECLARED),
                    declared(module, 'update', **dict(DECLARED, description='card payments')),
                    declared(module, 'rename', client_id=allowlisted['id'], name='payments-v2')])
    assert [run.status(title) for title in ('unchanged', 'update', 'rename')] == ['ok', 'changed', 'changed'], run.output
    writes = control.writes()
    # The unchanged run wrote nothing; the update and the rename each sent the fields back as the API gave them.
    assert [(write['method'], write['body']['name']) for write in writes] == [('PUT', 'payments'), ('PUT', 'payments-v2')]
    assert [unknown_fields_of(write['body']) for write in writes] == [UNKNOWN, UNKNOWN]
    stored = control.get_client(allowlisted['id']).json()
    assert unknown_fields_of(stored) == UNKNOWN and stored['description'] == 'card payments'
    if module == 'oauth_client':
        assert run['rename']['client']['extra'] == UNKNOWN

    control.clear_requests()
    gone = playbook([declared(module, 'delete', client_id=allowlisted['id'], state='absent')])
    assert gone.status('delete') == 'changed', gone.output
    deactivate, delete = control.writes()
    assert deactivate['method'] == 'PUT' and deactivate['body']['state'] == 'inactive'
    assert unknown_fields_of(deactivate['body']) == UNKNOWN
    assert delete['method'] == 'DELETE'


def test_the_purge_deactivates_a_client_with_its_unknown_fields(playbook, control, allowlisted):
    run = playbook([task('purge', 'oauth_clients', clients=[], purge=True, purge_filter='^payments$')])
    assert run.status('purge') == 'changed', run.output
    deactivate, delete = control.writes()
    assert unknown_fields_of(deactivate['body']) == UNKNOWN and deactivate['body']['state'] == 'inactive'
    assert delete['path'].endswith(allowlisted['id'])


def test_a_client_without_unknown_fields_sends_none(playbook, control):
    """The fields are the live client's: one the API returns without them is written without them."""
    control.configure(added_client_fields=ADDED)
    control.create_client(name='payments', roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])
    control.clear_requests()
    run = playbook([task('update', 'oauth_client', **dict(DECLARED, description='card payments'))])
    assert run.status('update') == 'changed' and run['update']['client']['extra'] == {}, run.output
    [put] = control.writes()
    assert not set(UNKNOWN) & set(put['body'])
