"""GenesysModule in-process: how run() ends every failure, the fail_json trap, and the checks of raw input."""

import contextlib
import json
from unittest import mock

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.genesys.cloud.plugins.module_utils._api.errors import GenesysError
from ansible_collections.genesys.cloud.plugins.module_utils._api.module import GenesysModule

CONNECTION = dict(auth_token='token', api_url='http://127.0.0.1:9')


@contextlib.contextmanager
def module_args(args):
    """The task's arguments, as ansible-core 2.19 (patch_module_args) or older versions (_ANSIBLE_ARGS) take them."""
    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
    except ImportError:
        with mock.patch.object(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps(dict(ANSIBLE_MODULE_ARGS=args)))):
            yield
    else:
        with patch_module_args(args):
            yield


def finish(capsys, args, spec, body):
    """Run a GenesysModule with args and body; the JSON result it exits with."""
    with module_args(args), pytest.raises(SystemExit):
        module = GenesysModule(argument_spec=spec)
        module.run(lambda: body(module))
    return json.loads(capsys.readouterr().out)


def test_a_genesys_error_becomes_its_message_and_partial_result(capsys):
    def body(_module):
        raise GenesysError('the client WAS created, then a delivery failed', changed=True, secret_holder='kept')
    result = finish(capsys, dict(CONNECTION), {}, body)
    assert result['failed'] and result['changed'] is True and result['secret_holder'] == 'kept'
    assert result['msg'] == 'the client WAS created, then a delivery failed'


def test_an_unexpected_exception_is_a_message_and_writes_before_it_make_it_changed(capsys):
    def body(module):
        module.api.changes.append('PUT /api/v2/oauth/clients/x')
        return {}['missing']
    result = finish(capsys, dict(CONNECTION), {}, body)
    assert result['failed'] and result['changed'] is True
    assert 'failed unexpectedly (KeyError' in result['msg'] and 'PUT /api/v2/oauth/clients/x' in result['msg']


def test_fail_json_raises_inside_failures_raise_and_ends_the_module_outside(capsys):
    def body(module):
        caught = 'nothing'
        with module.failures_raise():
            try:
                module.fail_json(msg='atomic_move could not rename')
            except GenesysError as exc:
                caught = str(exc)
        module.fail_json(msg='after the block: %s' % caught)
    result = finish(capsys, dict(CONNECTION), {}, body)
    assert result['failed'] and result['msg'] == 'after the block: atomic_move could not rename'


@pytest.mark.parametrize('args,expected', [
    (dict(CONNECTION, name=['zz']), 'name must be a string, not a list'),
    (dict(CONNECTION, roles=[dict(role_id={'a': 1})]), 'roles[0].role_id must be a string, not a dict'),
    (dict(CONNECTION, client_id='..'), "client_id cannot be '..'"),
    (dict(api_url='http://127.0.0.1:9'), 'authentication is required'),
])
def test_bad_raw_input_fails_before_the_body_runs(capsys, args, expected):
    spec = dict(name=dict(type='str'), client_id=dict(type='str'),
                roles=dict(type='list', elements='dict', options=dict(role_id=dict(type='str'))))
    with mock.patch.dict('os.environ', {}, clear=True):
        result = finish(capsys, args, spec, lambda module: pytest.fail('the body ran'))
    assert result['failed'] and expected in result['msg']


def test_a_secret_from_the_environment_is_hidden_like_a_task_option(capsys):
    env = dict(GENESYSCLOUD_OAUTHCLIENT_ID='id', GENESYSCLOUD_OAUTHCLIENT_SECRET='env-secret-value')
    with mock.patch.dict('os.environ', env, clear=True):
        result = finish(capsys, dict(api_url='http://127.0.0.1:9'), {},
                        lambda module: dict(changed=False, echoed='the secret is env-secret-value'))
    assert 'env-secret-value' not in json.dumps(result)


def test_every_result_carries_the_runs_api_retries(capsys):
    def counted(module, then):
        module.api.retried.waited(2.5, first=True)
        module.api.retried.answered(429)
        return then()
    expected = dict(requests=1, retries=1, rate_limited=1, seconds_waited=2.5)
    assert finish(capsys, dict(CONNECTION), {}, lambda module: counted(module, dict))['api_retries'] == expected
    failed = finish(capsys, dict(CONNECTION), {}, lambda module: counted(module, lambda: module.fail_json(msg='no')))
    assert failed['failed'] and failed['api_retries'] == expected
    # A module that ends before its API client exists made no request.
    refused = finish(capsys, dict(CONNECTION, name=['zz']), dict(name=dict(type='str')), pytest.fail)
    assert refused['api_retries'] == dict(requests=0, retries=0, rate_limited=0, seconds_waited=0)
