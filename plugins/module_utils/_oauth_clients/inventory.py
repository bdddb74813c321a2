# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An organisation's OAuth clients as inventory hosts: what the inventory plugin reads, and the host names it gives.

Plain Python with no inventory objects, so the plugin keeps only Ansible's side (options, cache, groups).
"""

from __future__ import annotations

import fnmatch
import re
import time
from concurrent.futures import ThreadPoolExecutor

from .._oauth.roles_and_divisions import ALL_DIVISIONS, DIVISIONS_PATH, ROLES_PATH
from .._oauth.client_reads import list_clients
from .._oauth.client_model import CLIENT_STATES, GRANT_TYPES, from_api
from .._api.errors import GenesysError, InputError
from .._api.http_client import GenesysApiError
from .._api.token_info import TOKEN_INFO_PATH, token_info
from .usage import ORG_USAGE_PERMISSION, PartialUsage, counters_of, days_problem, run_org_usage_query, run_usage_query, seconds_problem

# filters: the client facts each may match, and the values it allows (None: any text, matched as a pattern).
FILTERS = dict(name=None, grant_type=tuple(GRANT_TYPES), state=CLIENT_STATES)


def check_filters(filters):
    """Refuse filters that cannot match as meant, before any request: unknown keys, values, or types."""
    if filters is None:
        return
    if not isinstance(filters, dict):
        raise InputError('filters must be a dictionary with the keys %s' % ', '.join(FILTERS))
    for key, values in filters.items():
        if key not in FILTERS:
            raise InputError('filters: unknown key %r; allowed: %s' % (key, ', '.join(FILTERS)))
        if not isinstance(values, list) or not values or not all(isinstance(value, str) for value in values):
            raise InputError('filters.%s must be a non-empty list of strings' % key)
        allowed = FILTERS[key]
        unknown = [value for value in values if allowed is not None and value not in allowed]
        if unknown:
            raise InputError('filters.%s: unknown value %s; allowed: %s' % (key, ', '.join(unknown), ', '.join(allowed)))


def matches(client, filters):
    """Whether a client (snake_case) passes every filter: any pattern of name, any listed grant type and state."""
    for key, values in (filters or {}).items():
        if key == 'name':
            if not any(fnmatch.fnmatchcase(client['name'] or '', pattern) for pattern in values):
                return False
        elif client[key] not in values:
            return False
    return True


def check_usage_options(days, concurrency, wait_timeout, poll_interval):
    """The checks oauth_usage_query makes of days, wait_timeout and poll_interval, named as the plugin's options."""
    for problem in (days_problem(days, 'usage_days'),
                    'usage_concurrency must be 1 or more, got %d' % concurrency if concurrency < 1 else None,
                    seconds_problem(wait_timeout, 'usage_wait_timeout'),
                    seconds_problem(poll_interval, 'usage_poll_interval')):
        if problem:
            raise InputError(problem)


def name_maps(api):
    """Role and division names by id: one walk of each listing. None when the login may not read them."""
    try:
        return ({role.text('id', required=True): role.text('name') for role in api.paginate(ROLES_PATH)},
                {division.text('id', required=True): division.text('name') for division in api.paginate(DIVISIONS_PATH)})
    except GenesysApiError as exc:
        if exc.status == 403:
            return None
        raise


def with_role_names(client, names):
    """The client's roles with role_name and division_name (None where unknown, and for all divisions)."""
    role_names, division_names = names or ({}, {})
    for role in client['roles']:
        role['role_name'] = role_names.get(role['role_id'])
        role['division_name'] = None if role['division_id'] == ALL_DIVISIONS else division_names.get(role['division_id'])
    return client


class UsageRun:
    """The usage of an organisation's clients: one query of the whole organisation, or, when the login may not make
    it (403), the usage summary of each client, a few at a time. Counts what it cost for the -v report."""

    def __init__(self, api, days, concurrency, wait_timeout, poll_interval, clock=time.monotonic):
        self.api = api
        self.params = dict(summary=True, days=days, wait_timeout=wait_timeout, poll_interval=poll_interval)
        self.concurrency = concurrency
        self.clock = clock
        self.org_queries = self.summaries = self.polls = 0
        # Why the organisation's query was not used: the 403 that refused it, or the PartialUsage of a paged answer.
        self.refused = None
        self.seconds = 0.0
        self.warnings = []

    def _usage_of(self, client):
        try:
            outcome = run_usage_query(self.api, client['id'], self.params)
        except GenesysError as exc:
            raise GenesysError('usage summary of client %r (%s): %s' % (client['name'], client['id'], exc))
        return outcome

    def _summaries(self, clients):
        # The listing before this logged in, so the workers share one token rather than each logging in.
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            outcomes = list(pool.map(self._usage_of, clients))
        self.summaries += len(outcomes)
        self.polls += sum(outcome['polls'] for outcome in outcomes)
        return {outcome['client_id']: outcome['totals'] for outcome in outcomes}

    def _org_query(self, clients):
        self.org_queries += 1
        try:
            outcome = run_org_usage_query(self.api, dict(self.params, summary=False))
        except GenesysApiError as exc:
            if exc.status == 403:
                self.refused = exc
                return None
            raise GenesysError("the organisation's usage query: %s" % exc)
        except PartialUsage as exc:
            # Never zeros for the clients the first page left out: each client's own summary instead.
            self.refused = exc
            return None
        except GenesysError as exc:
            raise GenesysError("the organisation's usage query: %s" % exc)
        self.polls += outcome['polls']
        totals = {client['id']: client['totals'] for client in outcome['clients']}
        # The query covers every client: one it has no row of made no request.
        nothing = dict.fromkeys(counters_of(outcome['rows']), 0)
        return {client['id']: totals.get(client['id'], nothing) for client in clients}

    def totals(self, clients):
        """Usage totals by client id: days and the counters (requests, status200, ...). No client: no request."""
        if not clients:
            return {}
        started = self.clock()
        totals = self._org_query(clients)
        if totals is None:
            totals = self._summaries(clients)
            if isinstance(self.refused, PartialUsage):
                self.warnings.append("the organisation's usage query answered only part of its results (cursors.after), "
                                     'so usage was read one client at a time (%d usage summaries)' % len(clients))
            else:
                self.warnings.append(
                    "the login may not read the organisation's usage (HTTP 403 on %s %s), so it was read one client at "
                    'a time (%d usage summaries); give its role %s to read it in one query'
                    % (self.refused.method, self.refused.path, len(clients), ORG_USAGE_PERMISSION))
        self.seconds += self.clock() - started
        return {client_id: dict(days=self.params['days'], **counts) for client_id, counts in totals.items()}

    def report(self):
        """What the usage cost, for -v."""
        if self.refused is None:
            return 'usage of the last %d days: %d organisation query, %d polls, %.1f s' % (
                self.params['days'], self.org_queries, self.polls, self.seconds)
        why = 'partial' if isinstance(self.refused, PartialUsage) else 'refused'
        return ('usage of the last %d days: organisation query %s, %d summaries, %d polls, %d at a time, %.1f s'
                % (self.params['days'], why, self.summaries, self.polls, self.concurrency, self.seconds))


def read_org(api, filters=None, usage=None):
    """The org's clients that pass the filters, as host records: dict(client=..., usage=... or None).

    usage: a UsageRun, or None for no usage facts. Returns (records, warnings).
    """
    warnings = []
    clients = [client for client in map(from_api, list_clients(api)) if matches(client, filters)]
    if any(client['roles'] for client in clients):
        names = name_maps(api)
        if names is None:
            warnings.append('the login may not list roles or divisions (403), so roles carry no role_name or '
                            'division_name; give its role authorization:role:view and authorization:division:view')
        clients = [with_role_names(client, names) for client in clients]
    totals = usage.totals(clients) if usage else {}
    warnings += usage.warnings if usage else []
    return [dict(client=client, usage=totals.get(client['id'])) for client in clients], warnings


def organization_name(api):
    """The name of the organisation the login acts in, as GET /api/v2/tokens/me tells it (asked once per ApiClient):
    (name, None), or (None, a warning saying why there is none). Only a name is at stake: a failed request is a
    warning too, never the failure of the source."""
    try:
        told = token_info(api)
    except GenesysError as exc:
        return None, ('the organisation could not be named (GET %s: %s), so its hosts get no genesys_org and no group '
                      'of the organisation; give org_name' % (TOKEN_INFO_PATH, exc))
    if told.organization_name:
        return told.organization_name, None
    return None, ('%s, so its hosts get no genesys_org and no group of the organisation; give org_name'
                  % told.why_not('organization'))


def _age(record):
    """Oldest first: by creation time, then by id, so the order is the same on every run."""
    return record['client'].get('date_created') or '', record['client']['id']


# Host names Ansible gives a meaning of its own: its two built-in groups, and the names it takes for the controller
# (a host of such a name would be the localhost of every play that runs on localhost).
RESERVED_GROUPS = ('all', 'ungrouped')
RESERVED_NAMES = frozenset(RESERVED_GROUPS + ('localhost', '127.0.0.1', '::1'))
# The plugin's own groups, whatever grant types and states the API adds.
PLUGIN_GROUP_PREFIXES = ('genesys_grant_', 'genesys_state_')
# What a host pattern (hosts:, --limit) reads in a name: ',' and ':' separate patterns, '[' and ']' select a range,
# '*' and '?' are globs; and at the start '~' (a regex), '!' and '&' (exclude, intersect), '@' (--limit @file).
PATTERN_CHARACTERS = re.compile(r'[,:\[\]*?]|^[~!&@]')


def usable_host_name(name, group_names):
    """Whether name can be a host name as it is: Ansible reads nothing else into it, and no group of this source
    has it (Ansible's add_child takes a name for the group of that name first, so the group would join instead)."""
    return (bool(name) and name == name.strip() and name.isprintable() and not PATTERN_CHARACTERS.search(name)
            and name not in RESERVED_NAMES and name not in group_names and not name.startswith(PLUGIN_GROUP_PREFIXES))


def cleaned_host_name(name):
    """name without surrounding whitespace, and '_' for every character a pattern reads or that is not printable."""
    return PATTERN_CHARACTERS.sub('_', ''.join(char if char.isprintable() else '_' for char in name.strip()))


def _candidates(prefix, client, group_names):
    """The host names a client may take, the first one free wins: its name (with the prefix) as it is, then with the
    first 8 characters of its id appended, then its whole id. A name that cannot be a host name as it is (see
    usable_host_name) is cleaned and always gets its id appended, so its host name depends on nothing else."""
    name = prefix + (client['name'] if (client['name'] or '').strip() else client['id'])
    if usable_host_name(name, group_names):
        return [name, '%s_%s' % (name, client['id'][:8]), '%s_%s' % (name, client['id'])]
    cleaned = cleaned_host_name(name)
    return [cleaned_host_name('%s_%s' % (cleaned, suffix)) for suffix in (client['id'][:8], client['id'])]


def host_names(orgs, group_names=()):
    """A host name for every record of every org, in the same order: the client name (with the org's prefix),
    made unique when it is taken. The oldest client of a name keeps it, a later one gets its id's first 8
    characters appended (its whole id if even that is taken), so adding a client never renames another.
    A name Ansible reserves or reads as a pattern, or that a group of this source has, is renamed (_candidates).

    orgs: a list of (prefix, records). group_names: the names of the groups known before the hosts are added.
    """
    taken = set()
    names = []
    for prefix, records in orgs:
        org_names = [None] * len(records)
        for index, record in sorted(enumerate(records), key=lambda pair: _age(pair[1])):
            candidates = _candidates(prefix, record['client'], group_names)
            candidate = next((name for name in candidates if name not in taken), candidates[-1])
            taken.add(candidate)
            org_names[index] = candidate
        names.append(org_names)
    return names


def reserved_group_problem(group, where, name):
    """Why the group an organisation's name makes cannot be its group, or None."""
    if group in RESERVED_GROUPS:
        return ('%s %r would be the group %s, which Ansible reserves (%s); choose another name'
                % (where, name, group, ', '.join(RESERVED_GROUPS)))
    return None
