# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing one OAuth client to the declared state (the logic of genesys.cloud.oauth_client)."""

from __future__ import annotations

from .._oauth.roles_and_divisions import NameResolver, uses_names
from .._oauth.client_reads import list_clients, resolve_client
from .._oauth.client_model import (CLIENTS_PATH, GRANT_RETIREMENT, client_path, diff_view, from_api,
                                   grant_rule_error, merge, new_client, roles_need_home_division, to_request,
                                   validate_params, wanted_from_params)
from .._api.errors import GenesysApiError, GenesysError, InputError
from .._api.http_client import require_field
from .._secrets.delivery import (DELIVERIES, DELIVERY_RESULT_KEYS, deliver, dest_lock, dest_target, kept_nowhere_problem,
                                 plan_delivery, requested_deliveries)
from .._secrets.rotation import post_rotation


def ensure_client(module):
    """Bring the client to params['state']; the module result (with a diff in --diff mode)."""
    params = module.params
    validate_params(params)
    names = NameResolver(module.api)
    if params['state'] == 'present':
        if uses_names(params.get('roles')):
            params = dict(params, roles=names.with_ids(params['roles']))  # before any write
        result = ensure_present(module.api, params, module.check_mode, module, names=names)
        names.with_names(result['client'].get('roles'))
    else:
        result = ensure_absent(module.api, params, module.check_mode)
    if not module._diff:  # pylint: disable=protected-access
        result.pop('diff')
    return result


def _result(changed, before, after, client):
    return dict(changed=changed, client=client, diff=dict(before=diff_view(before), after=diff_view(after)))


# ensure_* look the client up themselves unless the caller found it already (oauth_clients, from one listing walk).
LOOK_IT_UP = object()


def ensure_present(api, params, check_mode, module=None, current_api=LOOK_IT_UP, names=None):
    """names: the run's NameResolver, which checks role and division ids before they are written (once per id a run)
    and knows the home division (asked once a run).

    When a create may follow (a dest and no client_id), dest's lock is held from before the lookup to the end:
    two runs that would create the same client for one dest must not both find none and both create (the
    second would overwrite dest, and the first secret would be lost). The second waits, then finds the client.
    """
    with dest_lock(_create_lock_target(params), check_mode):
        return _ensure_present(api, params, check_mode, module, current_api, names or NameResolver(api))


def _create_lock_target(params):
    """dest's file when a create may follow; None without one (a bad dest is refused when a create needs it)."""
    if params.get('client_id'):
        return None  # a client given by id is never created
    try:
        return dest_target(params)
    except InputError:
        return None


def _ensure_present(api, params, check_mode, module, current_api, names):
    looked_up_under_lock = current_api is LOOK_IT_UP
    if looked_up_under_lock:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    home_id = names.home_division_id() if roles_need_home_division(params.get('roles')) else None
    wanted = wanted_from_params(params, home_id)

    if current_api is None and not looked_up_under_lock and _create_lock_target(params):
        # The caller's listing was read before the lock: a parallel run may have created the client since.
        current_api = resolve_client(api, None, params.get('name'))
    if current_api is None:
        if params.get('client_id'):
            raise GenesysError('no OAuth client has the id %r; to create a client give name and grant_type '
                               'without client_id (the API chooses the id)' % params['client_id'])
        if 'grant_type' not in wanted:
            raise GenesysError('no OAuth client is named %r; grant_type is required to create it' % params['name'])
        # Ids the API does not know fail here, in check mode as in a real run, not as a 400 after the plan said ok.
        names.check_ids(wanted.get('roles') or [])
        client = new_client(wanted)
        warn_of_retiring_grant(module, client)
        return _create(api, params, check_mode, module, client, dest_target(params))

    current = from_api(current_api)
    merged, changed_fields = merge(current, wanted)
    problem = grant_rule_error(merged['grant_type'], merged['roles'], merged['scopes'])
    if problem:
        raise GenesysError(problem)
    warn_of_retiring_grant(module, merged)
    if not changed_fields:
        return _result(False, current, current, current)
    if 'roles' in changed_fields:
        names.check_ids([role for role in merged['roles'] if role not in current['roles']])
    if check_mode:
        return _result(True, current, merged, merged)
    path = client_path(current['id'])
    answer = api.put(path, to_request(merged))
    require_field(answer, 'id', 'PUT', path)
    updated = from_api(answer)
    return _result(True, current, updated, updated)


def warn_of_retiring_grant(module, client):
    """One warning for a declared client whose grant Genesys Cloud is retiring (the implicit grant), before any write:
    the dates and the replacement. A client being deleted is not warned of."""
    if module is not None and client.get('deprecated_grant'):
        module.warn('OAuth client %r %s.' % (client['name'], GRANT_RETIREMENT))


def _create(api, params, check_mode, module, client, target):
    """POST the client and deliver its secret, the only one the API will ever show, everywhere asked."""
    problem = kept_nowhere_problem(params, 'creating OAuth client %r' % client['name'])
    if problem:
        raise GenesysError(problem)  # in check mode too: the real run would refuse it
    steps = requested_deliveries(params)
    plan = plan_delivery(api, params, None, target) if steps else None  # every check before the POST
    if check_mode:
        result = _result(True, {}, client, client)
        if steps:
            result['deliveries'] = {step: 'would do' if step in steps else 'not requested' for step in DELIVERIES}
        return result
    created, recovered = _post_client(api, params, client)
    try:
        return _after_create(api, params, module, plan, steps, created, recovered)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        if isinstance(exc, GenesysError) and exc.result.get('client'):
            raise  # it hands the new client and its secret back already
        # The secret of the new client exists only in this answer: a crash, or a malformed field of the answer (see
        # Answer) met before the secret was handed on, must hand it back, not lose it.
        raise GenesysError('OAuth client %s WAS created, then the module failed (%s: %s); its secret is in this '
                           'result as client.secret' % (created['id'], type(exc).__name__, exc), changed=True,
                           client=dict(id=created['id'], name=created.get('name'), secret=created.get('secret')))


def _post_client(api, params, client):
    """POST the client: (the API client with its secret, recovered).

    The API shows the secret only in this answer. When the answer is lost (GenesysApiError.outcome_unknown: no
    answer, a 5xx, a 2xx without a readable id and secret), the client the POST made is found and its secret
    rotated at once, so a secret this run can deliver exists (recovered); or the failure says how to get one.
    """
    created = None
    try:
        created = api.post(CLIENTS_PATH, to_request(client))
        require_field(created, 'id', 'POST', CLIENTS_PATH)
        require_field(created, 'secret', 'POST', CLIENTS_PATH)
        return created, False
    except GenesysApiError as exc:
        if not exc.outcome_unknown:
            raise  # refused (4xx): nothing was created
        lost = exc
    return _recover_lost_create(api, params, client, lost), True


def _recover_lost_create(api, params, client, lost):
    """The client a create whose answer was lost made, with a new secret: rotated, since the first is unknown."""
    name = client['name']
    grant = to_request(client)['authorizedGrantType']
    try:
        # The lookup that chose to create found no client of this name (under dest's lock, when there is a dest):
        # one listed now with the grant the POST asked for is the one it made. (dateCreated is not compared with
        # the start of the request: the API's clock need not agree with this host's.) An id in an answer that could
        # not be read is never trusted: it could name any client, the login client included. The API may list a new
        # client late (and a request that missed its deadline may still land): ask again for up to id_lookup_wait.
        candidates = _listed_after_lost_create(api, name, grant)
    except GenesysError as exc:
        raise GenesysError('the answer to the create of OAuth client %r was lost (%s), and looking for the client then '
                           'failed (%s): it may have been created, and then its secret is unknown. %s'
                           % (name, lost, exc, _recovery_command(params, name=name)), api_error=lost.as_dict())
    if not candidates:
        raise GenesysError('the answer to the create of OAuth client %r was lost (%s), and no OAuth client named %r '
                           'is listed now: it was not created, or the API does not list it yet. If it appears, its '
                           'secret is unknown (a re-run of this task would find it and leave it as it is). %s'
                           % (name, lost, name, _recovery_command(params, name=name)), api_error=lost.as_dict())
    if len(candidates) > 1:
        ids = ', '.join(sorted(found['id'] for found in candidates))
        raise GenesysError('the answer to the create of OAuth client %r was lost (%s), and %d OAuth clients of that '
                           'name exist now (ids: %s): one of them may be the one this run created, and its secret '
                           'is unknown. Delete the ones you do not want (genesys.cloud.oauth_client with client_id and '
                           'state: absent), then issue a secret to the one you keep. %s'
                           % (name, lost, len(candidates), ids, _recovery_command(params, client_id='<its id>')),
                           changed=True, api_error=lost.as_dict())
    made = candidates[0]
    try:
        answer = post_rotation(api, made['id'])
    except GenesysApiError as exc:
        raise GenesysError('OAuth client %s WAS created, but the answer to the create was lost (%s), so its secret '
                           'is unknown; issuing it a new secret then failed (%s). %s'
                           % (made['id'], lost, exc, _recovery_command(params, client_id=made['id'])),
                           changed=True, client=from_api(made), api_error=exc.as_dict())
    return dict(made, **answer)


def _listed_after_lost_create(api, name, grant):
    deadline = api.now() + api.not_found_wait
    while True:
        candidates = [found for found in list_clients(api)
                      if found.get('name') == name and found.get('authorizedGrantType') == grant
                      and found.get('id') != api.client_id]
        if candidates or api.now() >= deadline:
            return candidates
        api.pause(min(1.0, max(0.0, deadline - api.now())))


def _recovery_command(params, **client):
    """The one task that issues a client a new secret and delivers it where this task would have."""
    args = dict(client)
    args.update((key, params[key]) for key in ('dest', 'integration_credential') if params.get(key))
    if params.get('dest') and params.get('dest_format', 'secret') != 'secret':
        args['dest_format'] = params['dest_format']
    if params.get('integration_credential') and params.get('create_credential'):
        args['create_credential'] = True
    delivered = ''
    if params.get('return_secret'):  # a create with no delivery and no return_secret was refused before its POST
        args['return_secret'] = 'true'
        delivered = ', and register its result (with no_log: true): the new secret is in it'
    return 'To issue and deliver a new secret, run genesys.cloud.oauth_client_secret with %s%s.' % (
        ', '.join('%s: %s' % item for item in args.items()), delivered)


def _after_create(api, params, module, plan, steps, created, recovered=False):
    # The id and the secret were checked (require_field): deliver them even when a field the module only reports is
    # malformed, and say so after the delivery. The secret exists only in this answer.
    malformed = None
    try:
        client = from_api(created)
    except GenesysApiError as exc:
        malformed = exc
        client = dict(id=created['id'], name=created.get('name'), date_created=None, date_modified=None)
    client['secret'] = created.get('secret')
    result = dict(_result(True, {}, client, client), recovered=recovered)
    if steps:
        if recovered:
            headline = ('OAuth client %s WAS created; the answer to the create was lost, so its secret was rotated at '
                        'once.' % client['id'])
            issued_at = client['date_modified'] or client['date_created']
        else:
            headline = 'OAuth client %s WAS created; the API shows its secret only now.' % client['id']
            issued_at = client['date_created']
        try:
            delivered = deliver(module, api, params, plan, client['id'], client['secret'], issued_at, headline,
                                secret_field='client.secret')
        except GenesysError as exc:
            if 'secret' not in exc.result:
                del client['secret']  # kept by a delivery and not asked for (return_secret)
            exc.result = dict(result, changed=True, **{key: exc.result[key] for key in DELIVERY_RESULT_KEYS if key in exc.result})
            exc.changed = True
            raise
        if 'secret' not in delivered:
            del client['secret']
        result.update({key: delivered[key] for key in DELIVERY_RESULT_KEYS if key in delivered})
    if malformed:
        where = ('its secret is in this result as client.secret' if 'secret' in client else
                 'its secret was delivered where asked (return_secret=false keeps it out of this result)')
        raise GenesysError('OAuth client %s WAS created, but the answer to the create is malformed (%s); %s'
                           % (client['id'], malformed, where),
                           **dict(result, changed=True, api_error=malformed.as_dict(),
                                  client={key: client[key] for key in ('id', 'name', 'secret') if key in client}))
    return result


def ensure_absent(api, params, check_mode, current_api=LOOK_IT_UP):
    if current_api is LOOK_IT_UP:
        current_api = resolve_client(api, params.get('client_id'), params.get('name'))
    if current_api is None:
        return _result(False, {}, {}, {})
    current = from_api(current_api)
    if params.get('client_id') and params.get('name') and params['name'] != current['name']:
        # Two ways of naming the client that disagree: deleting by either could destroy a client nobody meant.
        raise GenesysError('client_id %s is the OAuth client named %r, not %r; nothing was deleted (give the '
                           'client_id alone, or the name that client has)'
                           % (current['id'], current['name'], params['name']))
    if check_mode:
        return _result(True, current, {}, current)
    path = client_path(current['id'])
    inactive = None
    try:
        # The API refuses to delete an active client: make it inactive first, as the Terraform provider does.
        if current['state'] == 'active':
            api.put(path, to_request(dict(current, state='inactive')))
            inactive = dict(current, state='inactive', active=False)
        api.delete(path)
    except GenesysApiError as exc:
        if exc.status == 404:
            # Deleted meanwhile (by another run or a person), whichever write found it gone: absent, as asked.
            # Changed only when this run wrote first (made it inactive before the DELETE); else it did nothing.
            if inactive is None:
                return _result(False, {}, {}, current)
            return _result(True, current, {}, current)
        if inactive is None:
            raise
        raise GenesysError('OAuth client %s was made inactive (its tokens no longer work), then deleting it failed: %s'
                           % (current['id'], exc), changed=True, client=inactive, api_error=exc.as_dict(),
                           diff=dict(before=diff_view(current), after=diff_view(inactive)))
    return _result(True, current, {}, current)
