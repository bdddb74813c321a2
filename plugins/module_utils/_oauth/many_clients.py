# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the many-client modules (oauth_clients, oauth_client_secrets) share: their entries, checked before any
request, the listing read once and looked up by id or name, and the one failure that names every failed client."""

from __future__ import annotations

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from .client_reads import get_client, list_clients, only_one
from .._api.errors import GenesysError, InputError

# The options of the many-client modules that hold their entries (documented in each module: the entries differ).
ENTRIES_ARGUMENT_SPEC = dict(
    clients=dict(type='list', elements='dict', required=True),
    defaults=dict(type='dict', default={}),
)


def checked_entries(params, entry_spec, entry_rules, check_entry):
    """(entries, problems): each of params['clients'] over params['defaults'] (nulls left out), validated against entry_spec
    with entry_rules (the cross-field rules of the one-client module: required_one_of, required_if, ...) and then by
    check_entry (which raises InputError); problems name the entry, so all are reported at once."""
    entries, problems, seen = [], [], {}
    for index, entry in enumerate(params['clients']):
        where = 'clients[%d]' % index
        if not isinstance(entry, dict):
            problems.append('%s must be a dict' % where)
            continue
        # A null value is a key left out (as a role's argument spec fills them in), so the default applies.
        given = dict(params.get('defaults') or {}, **{key: value for key, value in entry.items() if value is not None})
        key = ('client_id', given['client_id']) if given.get('client_id') else ('name', given.get('name'))
        if key[1] and key in seen:
            problems.append('%s declares the same client as clients[%d] (%s %s)' % (where, seen[key], key[0], key[1]))
        seen[key] = index
        checked = ArgumentSpecValidator(entry_spec, **entry_rules).validate(given)
        if checked.error_messages:
            problems.append('%s: %s' % (where, '; '.join(checked.error_messages)))
            continue
        try:
            check_entry(checked.validated_parameters)
        except InputError as exc:
            problems.append('%s: %s' % (where, exc))
            continue
        entries.append(checked.validated_parameters)
    return entries, problems


def shared_delivery_problems(entries):
    """One problem per dest file, and per integration credential, that several of these entries would write, each
    naming the clients: every new secret would overwrite the one before it, which would then be kept nowhere
    (take_over_credential does not allow it). Paths are compared once symlinks and '..' are resolved, so two
    spellings of one file are one dest. Checked before any request, by every module that writes many deliveries."""
    places = {}
    for entry in entries:
        client = entry.get('client_id') or entry.get('name')
        if entry.get('dest'):
            places.setdefault(('dest', os.path.realpath(entry['dest'])), []).append(client)
        if entry.get('integration_credential'):
            places.setdefault(('integration_credential', entry['integration_credential']), []).append(client)
    return ['%s %s is given to several clients (%s): each would overwrite the others\' secret'
            % (kind, place, ', '.join(str(client) for client in clients))
            for (kind, place), clients in places.items() if len(clients) > 1]


class ClientListing:
    """The organisation's clients, read with one walk of the listing, found by id or exact name."""

    def __init__(self, api):
        self.api = api
        self.clients = list_clients(api)
        self.by_id = {client['id']: client for client in self.clients}
        self.by_name = {}
        for client in self.clients:
            self.by_name.setdefault(client.get('name'), []).append(client)

    def find(self, client_id=None, name=None, read_missing_ids=False):
        """The client named by client_id, else by exact name; None when there is none.

        read_missing_ids: an id the listing lacks is read by itself, since a client created moments ago may not
        be listed yet; a module that would create the client instead leaves it off.
        """
        if client_id:
            found = self.by_id.get(client_id)
            return found if found or not read_missing_ids else get_client(self.api, client_id)
        return only_one(self.by_name.get(name, []), name)


def fail_naming_the_failed(answer, outcomes, label, postscript=None):
    """Raise a GenesysError carrying answer when any outcome failed, naming each by label(outcome); postscript, when
    given, ends the message (what the run left undone because of them)."""
    failed = [outcome for outcome in outcomes if outcome['action'] == 'failed']
    if failed:
        message = '%d of %d clients failed: %s' % (len(failed), len(outcomes), '; '.join(
            '%s: %s' % (label(outcome), outcome['msg']) for outcome in failed))
        raise GenesysError(message + ('; ' + postscript if postscript else ''), **answer)


def refuse_two_entries_for_one_client(found, consequence):
    """found: (entry, client or None, error) per entry, in the order of clients, resolved before any write. Two
    entries for one client (by id and by name, say) are refused whole, naming both: consequence says why."""
    first_entry, problems = {}, []
    for index, (entry, client, _error) in enumerate(found):
        if client is None:
            continue
        if client['id'] in first_entry:
            problems.append('clients[%d] (%s) and clients[%d] (%s) are the same client %s'
                            % (first_entry[client['id']] + (index, _named_by(entry), client['id'])))
        else:
            first_entry[client['id']] = (index, _named_by(entry))
    if problems:
        raise GenesysError('%s: %s' % ('; '.join(problems), consequence))


def _named_by(entry):
    return 'client_id %s' % entry['client_id'] if entry.get('client_id') else 'name %s' % entry.get('name')
