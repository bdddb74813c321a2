"""genesys.cloud.access_token: log in once and use the token in later tasks."""


import pytest

from genesys_emulator.seed import EMPLOYEE_ROLE_ID
from helpers import by_path

CLIENTS = '/api/v2/oauth/clients'


@pytest.mark.smoke
def test_log_in_once_and_loop_with_the_token(playbook, control):
    ids = [control.create_client(name='c%d' % number, roleDivisions=[dict(roleId=EMPLOYEE_ROLE_ID)])['id']
           for number in range(3)]
    control.clear_requests()
    run = playbook([
        {'name': 'login', 'genesys.cloud.access_token': {}, 'register': 'login', 'no_log': True},
        {'name': 'with the token', 'module_defaults': {'group/genesys.cloud.genesys': {
            'auth_token': '{{ login.access_token }}'}},
         'block': [{'name': 'read', 'loop': ids, 'register': 'read',
                    'genesys.cloud.oauth_client_info': {'client_id': '{{ item }}'}}]},
    ])
    assert run.rc == 0, run.output
    assert by_path(control.requests()) == dict({'POST /oauth/token': 1}, **{'GET %s/%s' % (CLIENTS, i): 1 for i in ids})
    refused = playbook([{'name': 'token login', 'genesys.cloud.access_token': {'auth_token': 'x'}, 'ignore_errors': True}])
    assert 'logs in with client credentials' in refused['token login']['msg']
