# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options every module shares, how the login method is chosen, and the API client built from them.

The options are documented once, in the doc fragment genesys.cloud.connection. Nothing here needs a module,
so a plugin that is not a module can resolve the same options the same way.
"""

from __future__ import annotations

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import env_fallback

from .errors import InputError
from .http_client import ApiClient, RetryPolicy
from .regions import base_urls

# The login options carry no env fallback in the argument spec: which environment variables apply depends on
# the login method the task chose (resolve_login), so a task-level auth_token is not upset by client
# credentials in the environment.
LOGIN_ENVIRONMENT = dict(
    auth_client_id='GENESYSCLOUD_OAUTHCLIENT_ID',
    auth_client_secret='GENESYSCLOUD_OAUTHCLIENT_SECRET',
    auth_token='GENESYSCLOUD_ACCESS_TOKEN',
)
CLIENT_CREDENTIALS = ('auth_client_id', 'auth_client_secret')

# Where the API is: region and api_url carry neither a default nor an env fallback in the argument spec either,
# so that a value the task gave can be told from one of the environment (resolve_location).
LOCATION_ENVIRONMENT = dict(api_url='GENESYSCLOUD_API_URL', region='GENESYSCLOUD_REGION')
DEFAULT_REGION = 'us-east-1'

# Options that only make sense together: a layer of settings (an inventory orgs entry, the inventory file) that
# sets one of a group decides the whole group, and the layers under it give none of it. (The login's halves may
# come from different layers, as from the task and the environment; resolve_login refuses a token mixed with them.)
OPTION_GROUPS = (tuple(LOCATION_ENVIRONMENT),)

CONNECTION_ARGUMENT_SPEC = dict(
    region=dict(type='str'),
    api_url=dict(type='str'),
    auth_client_id=dict(type='str'),
    auth_client_secret=dict(type='str', no_log=True),
    auth_token=dict(type='str', no_log=True),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path', fallback=(env_fallback, ['GENESYSCLOUD_CA_PATH'])),
    timeout=dict(type='float', default=30.0),
    max_retries=dict(type='int', default=5),
    max_retry_wait=dict(type='float', default=120.0),
    id_lookup_wait=dict(type='float', default=5.0),
)
ENVIRONMENT = dict(LOGIN_ENVIRONMENT, ca_path='GENESYSCLOUD_CA_PATH', **LOCATION_ENVIRONMENT)


def genesys_argument_spec(**module_options):
    """The connection options plus a module's own options."""
    spec = {name: dict(option) for name, option in CONNECTION_ARGUMENT_SPEC.items()}
    spec.update(module_options)
    return spec


def _named(option):
    """An option and the environment variable it may come from, for messages."""
    return '%s (or %s)' % (option, ENVIRONMENT[option]) if option in ENVIRONMENT else option


def resolve_login(params, environ):
    """Choose the login method and fill in its values; returns the options to update params with.

    Options given to the task (module_defaults included) decide first: auth_token means a bearer token,
    auth_client_id or auth_client_secret means client credentials, the missing half of which may come from
    the environment. Only when the task gives none does the environment decide, GENESYSCLOUD_ACCESS_TOKEN
    before GENESYSCLOUD_OAUTHCLIENT_ID/SECRET. The other method's values are dropped, never mixed in.
    """
    task_token = params.get('auth_token') is not None
    task_credentials = any(params.get(option) is not None for option in CLIENT_CREDENTIALS)
    if task_token and task_credentials:
        raise InputError('auth_token and auth_client_id/auth_client_secret are mutually exclusive in a task: '
                         'use a bearer token or client credentials, not both')
    if task_token or (not task_credentials and environ.get(LOGIN_ENVIRONMENT['auth_token']) is not None):
        chosen = ('auth_token',)
    else:
        chosen = CLIENT_CREDENTIALS
    login = dict.fromkeys(LOGIN_ENVIRONMENT)
    for option in chosen:
        value = params.get(option)
        login[option] = environ.get(LOGIN_ENVIRONMENT[option]) if value is None else value
    if all(login[option] is None for option in chosen):
        raise InputError('authentication is required: set auth_client_id and auth_client_secret '
                         '(or GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), '
                         'or auth_token (or GENESYSCLOUD_ACCESS_TOKEN)')
    for option in chosen:
        if login[option] is None:
            raise InputError('%s is required with %s' % (_named(option), ' and '.join(_named(o) for o in chosen
                                                                                      if o != option)))
        if not login[option].strip():
            raise InputError('%s is empty; an empty value is never taken for a default' % _named(option))
    return login


def resolve_location(params, environ):
    """Decide where the API is, as resolve_login decides the login; returns the options to update params with.

    The task's (module_defaults included) region and api_url decide when it gives either: the environment is then
    not read at all, so GENESYSCLOUD_API_URL never beats a task's region. Only when the task gives neither do
    GENESYSCLOUD_API_URL, then GENESYSCLOUD_REGION fill in; without any, the region is us-east-1.
    The location and the login are resolved each on its own: credentials given to a task that names no location
    go to the environment's location (the documented precedence, as a token from access_token needs it).
    """
    if any(params.get(option) is not None for option in LOCATION_ENVIRONMENT):
        return {option: params.get(option) for option in LOCATION_ENVIRONMENT}
    location = {option: environ.get(variable) for option, variable in LOCATION_ENVIRONMENT.items()}
    for option, variable in LOCATION_ENVIRONMENT.items():
        if location[option] is not None and not location[option].strip():
            raise InputError('%s is empty (from %s); unset %s or give it a value, an empty value is never taken for a '
                             'default' % (option, variable, variable))
    if location['api_url'] is None and location['region'] is None:
        location['region'] = DEFAULT_REGION
    return location


def layered(*layers):
    """Connection options from layers of settings, the first layer the most specific (an orgs entry, then the
    inventory file): a layer decides the options it sets, and it decides a whole group of OPTION_GROUPS when it sets
    one of the group, so an entry's region is never overridden by the file's api_url. None values count as not
    set."""
    merged = {}
    for layer in layers:
        given = {name: value for name, value in layer.items() if value is not None}
        for group in OPTION_GROUPS:
            if any(merged.get(name) is not None for name in group):
                for name in group:
                    given.pop(name, None)
        for name, value in given.items():
            merged.setdefault(name, value)
    return merged


def check_connection_options(params):
    """Refuse connection options that cannot work, before any request."""
    for option in ('region', 'api_url', 'ca_path'):
        if params.get(option) is not None and not params[option].strip():
            raise InputError('%s is empty; leave it out (and unset %s) rather than give an empty value'
                             % (option, ENVIRONMENT[option]))
    for option, minimum in (('timeout', None), ('max_retries', 0), ('max_retry_wait', 0), ('id_lookup_wait', 0)):
        value = params.get(option)
        if value is None:
            continue
        if minimum is None and value <= 0:
            raise InputError('%s must be a positive number of seconds, got %s' % (option, value))
        if minimum is not None and value < minimum:
            raise InputError('%s must be %s or more, got %s' % (option, minimum, value))
    if params.get('ca_path') and not os.path.exists(params['ca_path']):
        raise InputError('ca_path %s does not exist; give a CA bundle file or a folder of certificates'
                         % params['ca_path'])
    base_urls(params.get('region'), params.get('api_url'))


def prepare_login(params, environ):
    """Resolve the login and the location into params and check every connection option; returns the secrets to hide
    from output. The one place modules and the inventory plugin resolve both."""
    params.update(resolve_login(params, environ))
    params.update(resolve_location(params, environ))
    check_connection_options(params)
    return [params[option] for option in ('auth_client_secret', 'auth_token') if params[option]]


def connection_params(options, environ, where=''):
    """Connection options for a plugin that is not a module (the inventory plugin), resolved as a module resolves
    them: the same argument spec (types, defaults, the ca_path fallback), then prepare_login (login and location).

    options: the options given (None values count as not given). Raises InputError, its message prefixed by where.
    """
    given = {name: value for name, value in options.items() if value is not None}
    unknown = sorted(set(given) - set(CONNECTION_ARGUMENT_SPEC))
    if unknown:
        raise InputError('%sunknown connection option %s' % (where, ', '.join(unknown)))
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate(given)
    if result.error_messages:
        raise InputError(where + '; '.join(result.error_messages))
    params = result.validated_parameters
    try:
        prepare_login(params, environ)
    except InputError as exc:
        raise InputError(where + str(exc))
    return params


def api_client_from_options(params):
    """An ApiClient from checked connection options (login already resolved). No request is sent here."""
    api_base, login_base = base_urls(params.get('region'), params.get('api_url'))
    return ApiClient(
        api_base, login_base,
        client_id=params.get('auth_client_id'),
        client_secret=params.get('auth_client_secret'),
        access_token=params.get('auth_token'),
        timeout=params['timeout'],
        validate_certs=params['validate_certs'],
        ca_path=params.get('ca_path'),
        retry=RetryPolicy(max_retries=params['max_retries'], max_wait=params['max_retry_wait']),
        not_found_wait=params['id_lookup_wait'],
    )


def log_in(api):
    """The run of access_token: one login with client credentials, its token returned for the tasks after it."""
    if not api.can_login:
        raise InputError('access_token logs in with client credentials: set auth_client_id and auth_client_secret '
                         '(or GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), not auth_token')
    return dict(changed=False, **api.login())
