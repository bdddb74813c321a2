# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options every module shares, and the API client built from them.

The options are documented once, in the doc fragment genesys.cloud.connection.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback, missing_required_lib

from .api import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiClient, GenesysApiError, RetryPolicy
from .regions import RegionError, base_urls

CONNECTION_ARGUMENT_SPEC = dict(
    region=dict(type='str', default='us-east-1', fallback=(env_fallback, ['GENESYSCLOUD_REGION'])),
    api_url=dict(type='str', fallback=(env_fallback, ['GENESYSCLOUD_API_URL'])),
    auth_client_id=dict(type='str', fallback=(env_fallback, ['GENESYSCLOUD_OAUTHCLIENT_ID'])),
    auth_client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['GENESYSCLOUD_OAUTHCLIENT_SECRET'])),
    auth_token=dict(type='str', no_log=True, fallback=(env_fallback, ['GENESYSCLOUD_ACCESS_TOKEN'])),
    validate_certs=dict(type='bool', default=True),
    timeout=dict(type='float', default=30.0),
    max_retries=dict(type='int', default=5),
    max_retry_wait=dict(type='float', default=120.0),
)


def genesys_argument_spec(**module_options):
    """The connection options plus a module's own options."""
    spec = {name: dict(option) for name, option in CONNECTION_ARGUMENT_SPEC.items()}
    spec.update(module_options)
    return spec


def check_connection_params(params):
    """Return an error message for connection options that cannot work, or None."""
    has_credentials = params.get('auth_client_id') or params.get('auth_client_secret')
    if params.get('auth_token') and has_credentials:
        return ('auth_token and auth_client_id/auth_client_secret are mutually exclusive: '
                'use a bearer token or client credentials, not both')
    if not params.get('auth_token'):
        if not (params.get('auth_client_id') and params.get('auth_client_secret')):
            return ('authentication is required: set auth_client_id and auth_client_secret '
                    '(or GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), '
                    'or auth_token (or GENESYSCLOUD_ACCESS_TOKEN)')
    if params.get('timeout') is not None and params['timeout'] <= 0:
        return 'timeout must be a positive number of seconds, got %s' % params['timeout']
    if params.get('max_retries') is not None and params['max_retries'] < 0:
        return 'max_retries must be 0 or more, got %s' % params['max_retries']
    if params.get('max_retry_wait') is not None and params['max_retry_wait'] < 0:
        return 'max_retry_wait must be 0 or more seconds, got %s' % params['max_retry_wait']
    try:
        base_urls(params.get('region'), params.get('api_url'))
    except RegionError as exc:
        return str(exc)
    return None


def api_client_from_module(module):
    """Check the connection options and return an ApiClient; fails the module on bad options.

    No request is sent here: the login happens with the first API call.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    problem = check_connection_params(module.params)
    if problem:
        module.fail_json(msg=problem)
    params = module.params
    api_base, login_base = base_urls(params['region'], params['api_url'])
    return ApiClient(
        api_base, login_base,
        client_id=params['auth_client_id'],
        client_secret=params['auth_client_secret'],
        access_token=params['auth_token'],
        timeout=params['timeout'],
        validate_certs=params['validate_certs'],
        retry=RetryPolicy(max_retries=params['max_retries'], max_wait=params['max_retry_wait']),
    )


def fail_with_api_error(module, error, action, **result):
    """Fail the module with Genesys' own message, status, code and correlation id."""
    module.fail_json(msg='%s: %s' % (action, error), api_error=error.as_dict(), **result)


__all__ = ['genesys_argument_spec', 'api_client_from_module', 'fail_with_api_error', 'GenesysApiError']
