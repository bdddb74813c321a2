# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Rotating a client secret so that the new secret always reaches somewhere (genesys.cloud.oauth_client_secret).

Everything that can be checked is checked before the rotation; after it, every delivery is tried
(delivery.py), and whatever fails, the caller gets the new secret back with what was and was not done.
A rotation whose answer was lost (a 5xx, a timeout, a 2xx whose body cannot be read) is never reported as "not
rotated" without proof.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .._oauth.client_reads import resolve_client
from .._oauth.client_model import GRANT_TYPES, NAMES_A_CLIENT, can_log_in, check_client_named, client_path
from .._api.errors import GenesysApiError, GenesysError, InputError
from .._api.http_client import parse_instant, require_field
from .._api.token_info import login_client_id
from .delivery import (DELIVERIES, DELIVERY_ARGUMENT_SPEC, dest_lock, dest_target, deliver, kept_nowhere_problem,
                       login_refusal, plan_delivery, read_secret_file)

ROTATE_POLICIES = ('always', 'when_needed')

# What is off when the client a token belongs to is unknown (login_client_id's warning).
SELF_ROTATION_UNGUARDED = ('allow_self_rotation cannot refuse rotating its secret, and oauth_client_secrets cannot '
                           'rotate it last')

# The options that rotate one client's secret, in oauth_client_secret and in each entry of oauth_client_secrets.
ROTATION_ARGUMENT_SPEC = dict(
    client_id=dict(type='str'),
    name=dict(type='str'),
    rotate=dict(type='str', choices=list(ROTATE_POLICIES), default='always'),
    max_age_days=dict(type='int'),
    allow_self_rotation=dict(type='bool', default=False),
    verify=dict(type='bool'),
    **DELIVERY_ARGUMENT_SPEC
)

# The cross-field rules of ROTATION_ARGUMENT_SPEC, as GenesysModule and ArgumentSpecValidator take them: checked on
# oauth_client_secret's options and on each entry of oauth_client_secrets (checked_entries), so both refuse alike.
# rotate=when_needed rotates when the copy delivered to dest or integration_credential is missing, no longer works
# or is older than max_age_days, so it needs one of them.
ROTATION_RULES = dict(
    required_one_of=[NAMES_A_CLIENT],
    required_if=[('rotate', 'when_needed', ('dest', 'integration_credential'), True)],
)


def effective_verify(params, client):
    """verify as given; left out, on for an active client-credentials client (the only kind a login can prove)."""
    if params.get('verify') is not None:
        return params['verify']
    return can_log_in(client)


def check_rotation_params(params):
    """Refusals of values that need no request, raised before the first one; ROTATION_RULES were checked before."""
    check_client_named(params)
    if params.get('rotate') == 'when_needed' and not (params.get('dest') or params.get('integration_credential')):
        # ROTATION_RULES make the task give one of them; given empty (an unset variable), they name no delivered copy.
        raise InputError('rotate=when_needed needs dest or integration_credential, and the one given is empty')
    if params.get('max_age_days') is not None and params['max_age_days'] < 1:
        raise InputError('max_age_days must be 1 or more, got %d' % params['max_age_days'])
    problem = kept_nowhere_problem(params, 'rotating the secret of %s' % (params.get('client_id') or params.get('name')))
    if problem:
        raise InputError(problem)


def check_before_rotation(login_id, params, client):
    """Refusals that need the client and the id of the client the module logs in with (login_id), but no request."""
    if client['id'] == login_id and not params.get('allow_self_rotation'):
        raise GenesysError('client %s is the client this module logs in with; rotating its secret breaks every '
                           'other user of it. Set allow_self_rotation=true if that is what you want' % client['id'])
    if params.get('verify'):
        if client.get('authorizedGrantType') != GRANT_TYPES['client_credentials']:
            raise GenesysError('verify=true needs a client_credentials client; %s is %s'
                               % (client['id'], client.get('authorizedGrantType')))
        if client.get('state') != 'active':
            raise GenesysError('verify=true cannot succeed: client %s is %s, and only an active client can log in; '
                               'nothing was rotated' % (client['id'], client.get('state')))


def _parsed(timestamp):
    try:
        return parse_instant(timestamp)
    except ValueError:
        return None


def _age_in_days(timestamp, now):
    moment = _parsed(timestamp)
    return None if moment is None else (now - moment) / timedelta(days=1)


def _moment(timestamp):
    """A server time to the whole second (None when absent): one API may keep milliseconds where another does
    not, and a finer comparison would then see a credential written just after a rotation as older than it."""
    moment = _parsed(timestamp) if timestamp else None
    return None if moment is None else moment.replace(microsecond=0)


def rotation_reason(api, params, client, plan, previous):
    """Why the secret should be rotated now, or None when every delivered copy is there, works and is young."""
    if params.get('rotate', 'always') == 'always':
        return 'rotate=always'
    now = datetime.now(timezone.utc)
    max_age = params.get('max_age_days')
    secret, rotated_at = previous
    if plan.target:
        if secret is None:
            return 'dest %s is missing or holds no secret the module can read' % params['dest']
        if can_log_in(client) and login_refusal(api, client['id'], secret):
            return 'the secret in dest %s no longer logs in' % params['dest']
        age = _age_in_days(rotated_at, now)
        if max_age and age is not None and age > max_age:
            return 'the secret in dest is %.1f days old (max_age_days=%d)' % (age, max_age)
    if params.get('integration_credential'):
        # The API redacts a credential's secret: only its presence, owner and times can be judged.
        if plan.credential is None:
            return 'integration credential %s does not exist' % params['integration_credential']
        if plan.credential_client_id != client['id']:
            return 'integration credential %s does not hold this client' % params['integration_credential']
        written, changed = _moment(plan.credential.get('modifiedDate')), _moment(client.get('dateModified'))
        if written and changed and written < changed:
            # A rotation moves the client's dateModified; a credential written before it holds an older secret
            # (its update failed, or the secret was rotated elsewhere). Any other change of the client counts
            # too, since the API does not tell them apart: that costs one rotation, never a dead secret.
            return ('integration credential %s was last written before the client was last changed (%s < %s), '
                    'so it may hold a secret that no longer works'
                    % (params['integration_credential'], plan.credential['modifiedDate'], client['dateModified']))
        age = _age_in_days(plan.credential.get('modifiedDate'), now)
        if max_age and age is not None and age > max_age:
            return 'integration credential %s was last written %.1f days ago (max_age_days=%d)' % (
                params['integration_credential'], age, max_age)
    return None


def _rotated_at(answer):
    return answer.get('dateModified') or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')


def post_rotation(api, client_id):
    """POST a rotation of the client's secret and answer the API's answer, which carries the new secret.

    An answer without the secret raises a GenesysApiError whose outcome_unknown is true, like no answer at all.
    """
    path = client_path(client_id) + '/secret'
    answer = api.post(path)
    require_field(answer, 'secret', 'POST', path)
    return answer


def rotate(api, client, previous_secret, is_login=False):
    """POST the rotation; (secret, rotated_at, recovered). A lost answer is recovered when it can be proven.

    is_login: the client is the one the module logs in with.
    """
    try:
        answer = post_rotation(api, client['id'])
        return answer['secret'], _rotated_at(answer), False
    except GenesysApiError as exc:
        if not exc.outcome_unknown:  # refused: the one classification the create path uses too
            raise GenesysError('the secret of client %s was NOT rotated: %s' % (client['id'], exc),
                               client_id=client['id'], api_error=exc.as_dict())
        lost = exc  # no answer, a 5xx, or a 2xx without a readable secret
    # A gateway can fail after the backend rotated: the previous secret tells which it was.
    if not (previous_secret and can_log_in(client)):
        raise GenesysError(
            'the secret of client %s may have been rotated: %s. If it was, the answer with the new secret was lost '
            'and the old secret no longer works. To recover, run the task again: a new rotation issues a secret this '
            'module delivers. With dest holding the current secret, the module can tell by itself next time.'
            % (client['id'], lost), changed=True, client_id=client['id'], api_error=lost.as_dict())
    try:
        still_works = login_refusal(api, client['id'], previous_secret) is None
    except GenesysError as exc:
        raise GenesysError(
            'the secret of client %s may have been rotated: %s; checking whether the previous secret still logs in '
            'then failed too (%s). If it was rotated, the old secret no longer works and the new one is unknown: run '
            'the task again to issue and deliver a new secret' % (client['id'], lost, exc), changed=True,
            client_id=client['id'], api_error=lost.as_dict())
    if still_works:
        # A 2xx that did nothing (a proxy's own page, say) is counted as a write by the client: it changed nothing.
        unchanged = 'POST %s/secret' % client_path(client['id'])
        api.changes[:] = [change for change in api.changes if change != unchanged]
        raise GenesysError('the secret of client %s was NOT rotated (%s): the previous secret still logs in. '
                           'Nothing to recover; run the task again' % (client['id'], lost),
                           client_id=client['id'], api_error=lost.as_dict())
    # Rotated, and its answer lost: the old secret is dead either way, so rotating again costs nothing.
    if is_login:
        raise GenesysError('the secret of client %s WAS rotated but its answer was lost (%s). It is the client this '
                           'module logs in with, and its old secret no longer works, so it cannot rotate itself '
                           'again: run the task with another client\'s credentials to issue and deliver a new secret'
                           % (client['id'], lost), changed=True, client_id=client['id'], api_error=lost.as_dict())
    try:
        answer = post_rotation(api, client['id'])
        return answer['secret'], _rotated_at(answer), True
    except GenesysApiError as again:
        raise GenesysError('the secret of client %s WAS rotated but its answer was lost (%s), and rotating again '
                           'failed (%s); the current secret is unknown, run the task again'
                           % (client['id'], lost, again), changed=True, client_id=client['id'],
                           api_error=again.as_dict())


def rotate_secret(module):
    """The whole run of oauth_client_secret: find the client, then rotate_client."""
    params = module.params
    check_rotation_params(params)
    client = resolve_client(module.api, params.get('client_id'), params.get('name'))
    if client is None:
        raise GenesysError('no OAuth client %r to rotate the secret of' % (params.get('client_id') or params.get('name')))
    return rotate_client(module, params, client)


def rotate_client(module, params, client):
    """Check, decide, rotate, deliver one client's secret (params: its rotation options); its result."""
    api = module.api
    login_id = login_client_id(api, module.warn, SELF_ROTATION_UNGUARDED)
    check_before_rotation(login_id, params, client)
    params = dict(params, verify=effective_verify(params, client))
    target = dest_target(params)
    with dest_lock(target, module.check_mode):
        plan = plan_delivery(api, params, client['id'], target)
        previous = read_secret_file(plan.target, params['dest_format']) if plan.target else (None, None)
        reason = rotation_reason(api, params, client, plan, previous)
        planned = {step: ('would do' if params.get(step) else 'not requested') for step in DELIVERIES}
        if reason is None:
            return dict(changed=False, client_id=client['id'], reason='every delivered copy is there, works and is '
                        'young enough', deliveries={step: 'not needed' if params.get(step) else 'not requested'
                                                    for step in DELIVERIES})
        if module.check_mode:
            return dict(changed=True, client_id=client['id'], reason=reason, deliveries=planned)
        secret, rotated_at, recovered = rotate(api, client, previous[0], is_login=client['id'] == login_id)
        if recovered:
            reason += '; the first rotation was lost in transit (its answer never came), so it was rotated again'
        if client['id'] == login_id and (api.can_login or can_log_in(client)):
            # The old secret is dead, and the tokens issued with it: log in with the new one from now on.
            api.use_credentials(client['id'], secret)
        headline = 'The secret of OAuth client %s WAS rotated at %s; the old secret no longer works.' % (
            client['id'], rotated_at)
        try:
            result = deliver(module, api, params, plan, client['id'], secret, rotated_at, headline)
        except GenesysError as exc:
            exc.result.update(reason=reason, recovered=recovered)
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A crash after the rotation must not lose the only copy of the new secret.
            raise GenesysError('%s Then the module failed (%s). The new secret is in this result as secret.'
                               % (headline, type(exc).__name__), changed=True, client_id=client['id'],
                               secret=secret, rotated_at=rotated_at, reason=reason)
    return dict(result, reason=reason, recovered=recovered)
