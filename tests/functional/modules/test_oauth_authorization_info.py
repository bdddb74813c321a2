"""genesys.cloud.oauth_authorization_info against the emulator."""

import json

import pytest

from helpers import task


@pytest.mark.smoke
def test_authorization_info(playbook, control):
    web = control.create_client(name='web', authorizedGrantType='CODE', scope=['users:readonly'])
    other = control.create_client(name='other', authorizedGrantType='TOKEN', scope=['analytics'])
    for client_id, state in ((web['id'], 'Authorized'), (other['id'], 'Revoked')):
        control.http.post(control.url + '/__emulator/authorizations',
                          json=dict(clientId=client_id, state=state)).raise_for_status()
    run = playbook([task('all', 'oauth_authorization_info', language='de-de'),
                    task('one', 'oauth_authorization_info', client_id=web['id']),
                    task('none', 'oauth_authorization_info', client_id='nope'),
                    task('none must exist', 'oauth_authorization_info', client_id='nope', fail_on_missing=True)])
    states = {a['client']['name']: a['state'] for a in run['all']['authorizations']}
    assert states == {'web': 'Authorized', 'other': 'Revoked'}
    one = run['one']['authorizations']
    expected_client = dict(id=web['id'], name='web', description=None, grant_type='code', state='active')
    assert len(one) == 1 and one[0]['client'] == expected_client
    assert one[0]['scopes'] == ['users:readonly'] and one[0]['pending'] is False
    assert run['none']['authorizations'] == [] and run.status('none must exist') == 'failed'
    assert json.dumps(run['all']).count(web['secret']) == 0
