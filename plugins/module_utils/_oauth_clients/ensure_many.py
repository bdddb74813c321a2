# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Declaring a whole set of OAuth clients in one run (genesys.cloud.oauth_clients).

One login, one walk of the listing, the home division at most once, and writes only for real differences;
each client is brought to its state by the code oauth_client uses, so both behave alike.
"""

from __future__ import annotations

import re
from functools import partial

from .._oauth.roles_and_divisions import NameResolver, uses_names
from .ensure import ensure_absent, ensure_present
from .._oauth.client_model import CLIENT_ARGUMENT_SPEC, CLIENT_RULES, validate_params
from .._oauth.many_clients import (ClientListing, checked_entries, fail_naming_the_failed, refuse_two_entries_for_one_client,
                                   shared_delivery_problems)
from .._api.errors import GenesysError, InputError, unexpected_failure
from .._api.token_info import login_client_id
from .._secrets.delivery import DELIVERY_ARGUMENT_SPEC, DELIVERY_RESULT_KEYS, DEST_ATTRIBUTES_ARGUMENT_SPEC, kept_nowhere_problem

# Each entry: oauth_client's options and deliveries, and the attributes of its own dest.
ENTRY_ARGUMENT_SPEC = dict(CLIENT_ARGUMENT_SPEC, **DEST_ATTRIBUTES_ARGUMENT_SPEC, **DELIVERY_ARGUMENT_SPEC)

# The keys of an ensure_* result, or of the failure it raised, an entry carries.
RESULT_KEYS = DELIVERY_RESULT_KEYS + ('recovered', 'api_error')

# What is off when the client a token belongs to is unknown (login_client_id's warning).
PURGE_UNGUARDED = 'the purge cannot spare it, and deletes it if purge_filter matches its name and no entry names it'


def declared_clients(params):
    """Each entry over the defaults, checked like oauth_client's options; one InputError for all, before any request."""
    entries, problems = checked_entries(params, ENTRY_ARGUMENT_SPEC, CLIENT_RULES, validate_params)
    # Only a present entry may create a client, and so write its dest.
    problems += shared_delivery_problems([entry for entry in entries if entry['state'] == 'present'])
    if params.get('purge'):
        problem = purge_filter_problem(params.get('purge_filter'), params.get('purge_filter_matches_all'))
        if problem:
            problems.append(problem)
    if problems:
        raise InputError('; '.join(problems))
    return entries


# Names unlike each other: a filter that matches every one ('.', '.+', '\\S', '\\b', '\\w') matches every real name.
NAME_PROBES = ('a', 'Z', '7', 'x_y', ' x', 'prod-payments', 'Team A Billing', 'é')


def purge_filter_problem(purge_filter, matches_all=False):
    """Why purge_filter cannot decide which clients a purge deletes, or None.

    An empty filter (an unset variable) and one that matches the empty string ('.*', '^', 'x?', '(?!b)') match
    every name, or every name but a few: a purge with them deletes clients nobody meant, unless matches_all says
    that is the intent. An empty one is refused even then: it is never written on purpose.
    """
    if not (purge_filter or '').strip():
        return ('purge_filter is empty: with purge=true it must be a regular expression for the names of the clients '
                'this task owns, for example ^team-a-')
    try:
        pattern = re.compile(purge_filter)
    except re.error as exc:
        return 'purge_filter is not a regular expression: %s' % exc
    if not matches_all and (pattern.search('') or all(pattern.search(name) for name in NAME_PROBES)):
        return ('purge_filter %r matches the empty string or names of every kind, so it matches (nearly) every client '
                'name, not only those '
                'this task owns; give a filter for those names, or set purge_filter_matches_all=true to delete every '
                'client that no entry declares' % purge_filter)
    return None


def purge_candidates(listing, entries, pattern, login_id):
    """The clients a purge deletes, decided once, from the entries and the listing, before any write.

    Protected, whatever becomes of their entries: every client an entry names, by client_id or by its name (however
    many clients carry that name), and the client the module logs in with (login_id; None when the API did not tell
    whose a token is). A client whose id or name is not text matches nothing: nothing shows it is this task's.
    """
    protected = {login_id}
    for entry in entries:
        protected.add(entry.get('client_id'))
        if entry.get('name'):
            protected.update(client.get('id') for client in listing.by_name.get(entry['name'], []))
    return [client for client in listing.clients
            if isinstance(client.get('id'), str) and client['id'] not in protected
            and isinstance(client.get('name'), str) and pattern.search(client['name'])]


def refuse_creates_kept_nowhere(listing, entries):
    """Refuse, before the first write, the entries that would create a client (no client_id, no client of their name
    listed) whose secret no delivery and no return_secret would keep: ensure_present refuses each too, but only at
    its turn, after the entries before it wrote."""
    problems = [kept_nowhere_problem(entry, 'clients[%d]: creating OAuth client %r' % (index, entry['name']))
                for index, entry in enumerate(entries)
                if entry['state'] == 'present' and entry.get('grant_type') and not entry.get('client_id')
                and not listing.by_name.get(entry['name'])]
    problems = [problem for problem in problems if problem]
    if problems:
        raise InputError('%s. Nothing was written' % '; '.join(problems))


def _found_or_none(listing, entry):
    try:
        return listing.find(entry['client_id'], entry['name'])
    except GenesysError:
        return None  # several clients of that name: that entry fails on its own, naming them


def _action(entry, result):
    if not result['changed']:
        return 'unchanged'
    if entry['state'] == 'absent':
        return 'deleted'
    return 'updated' if result['diff']['before'] else 'created'


def _entry_result(entry, result, failure=None):
    """The outcome of an entry from its ensure_* result, or from the GenesysError it raised (failure, whose result
    is result): a failure keeps what it carries, above all a new client's secret."""
    client = result.get('client') or {}
    outcome = dict(name=client.get('name') or entry['name'], id=client.get('id') or entry['client_id'],
                   action='failed' if failure else _action(entry, result),
                   changed=bool(failure.changed) if failure else result['changed'],
                   diff=result.get('diff') or dict(before={}, after={}))
    if failure:
        outcome['msg'] = str(failure)
    if client.get('secret'):
        outcome['secret'] = client['secret']  # a new client's secret: shown by the API only now
    outcome.update({key: result[key] for key in RESULT_KEYS if key in result})
    return outcome


def _attempt(api, entry, ensure, finish=None):
    """The outcome of one entry, declared or purged; never raises, so no entry loses the outcomes before it.

    ensure() brings the client to its state and returns the ensure_* result; finish(result), when given, completes
    it. A GenesysError is this entry's failure. Any other exception is a bug: it becomes this entry's failure too,
    keeping what the result already holds, above all a new client's secret, which the API shows only once.
    """
    writes_before = len(api.changes)
    result = None
    try:
        result = ensure()
        if finish:
            finish(result)
        return _entry_result(entry, result)
    except GenesysError as exc:
        failure = exc
    except Exception as exc:  # pylint: disable=broad-exception-caught
        failure = unexpected_failure(exc, changed=bool(result and result.get('changed')) or len(api.changes) > writes_before,
                                     client=(result or {}).get('client') or {})
    return _entry_result(entry, failure.result, failure)


def ensure_client_set(module):
    """The whole run of oauth_clients: every client attempted, results for all, the task failing naming the failed."""
    api, params = module.api, module.params
    entries = declared_clients(params)
    names = NameResolver(api)
    # Every role and division name is resolved before the first write, each distinct name once.
    entries = [dict(entry, roles=names.with_ids(entry['roles'])) if entry['state'] == 'present'
               and uses_names(entry.get('roles')) else entry for entry in entries]
    listing = ClientListing(api)
    refuse_two_entries_for_one_client([(entry, _found_or_none(listing, entry), None) for entry in entries],
                                      'the entries would each write it, so no run would ever be unchanged; give each '
                                      'client one entry. Nothing was written')
    refuse_creates_kept_nowhere(listing, entries)
    # What the purge may delete is fixed here, before any write: never a client an entry names, whatever it becomes.
    doomed = []
    if params['purge']:
        pattern = re.compile(params['purge_filter'])
        doomed = purge_candidates(listing, entries, pattern, api.client_id)
        if doomed:
            # Which client a token belongs to is asked (once) only when the purge would delete something.
            doomed = purge_candidates(listing, entries, pattern, login_client_id(api, module.warn, PURGE_UNGUARDED))

    def ensure(entry):
        current = listing.find(entry['client_id'], entry['name'])
        if entry['state'] == 'present':
            # names asks for the home division at most once a run, for the first entry that needs it.
            return ensure_present(api, entry, module.check_mode, module, current_api=current, names=names)
        return ensure_absent(api, entry, module.check_mode, current_api=current)

    def role_names(result):
        names.with_names((result.get('client') or {}).get('roles'))

    results = [_attempt(api, entry, partial(ensure, entry), role_names) for entry in entries]
    purge_skipped = None
    if params['purge']:
        failed = [outcome['name'] or outcome['id'] for outcome in results if outcome['action'] == 'failed']
        if failed:
            # A failed entry may name clients this run could not pin down: purge nothing rather than guess.
            purge_skipped = ('the purge did not run, since %d declared client(s) failed (%s); it runs once every '
                             'entry succeeds' % (len(failed), ', '.join(str(label) for label in failed)))
        else:
            for client in doomed:
                entry = dict(state='absent', client_id=client['id'], name=client['name'])
                results.append(_attempt(api, entry, partial(ensure_absent, api, entry, module.check_mode, current_api=client)))

    changed = any(outcome['changed'] for outcome in results)
    # Not 'results': Ansible takes that key for loop results and prints it even under no_log, secrets included.
    answer = dict(changed=changed, clients=results)
    if purge_skipped:
        answer['purge_skipped'] = purge_skipped
    if module._diff:  # pylint: disable=protected-access
        answer['diff'] = [dict(outcome['diff'], before_header=outcome['name'], after_header=outcome['name'])
                          for outcome in results if outcome['changed']]
    fail_naming_the_failed(answer, results, lambda outcome: outcome['name'] or outcome['id'], purge_skipped)
    return answer
