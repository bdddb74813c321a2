"""Fault lose_response with a body: the work is done, then an answer the client cannot read is sent."""

from genesys_emulator.seed import EMPLOYEE_ROLE_ID

CLIENTS = '/api/v2/oauth/clients'


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
