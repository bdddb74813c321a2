# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the many-client modules (oauth_clients, oauth_client_secrets) share: their entries, checked before any
request, the listing read once and looked up by id or name, and the one failure that names every failed client."""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ._client_lookup import get_client, list_clients, only_one
from ._errors import GenesysError, InputError


def checked_entries(params, entry_spec, check_entry):
    """(entries, problems): each of params['clients'] over params['defaults'] (nulls left out), validated against entry_spec and
    then by check_entry (which raises InputError); problems name the entry, so all are reported at once."""
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
        checked = ArgumentSpecValidator(entry_spec).validate(given)
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


def fail_naming_the_failed(answer, outcomes, label):
    """Raise a GenesysError carrying answer when any outcome failed, naming each by label(outcome)."""
    failed = [outcome for outcome in outcomes if outcome['action'] == 'failed']
    if failed:
        raise GenesysError('%d of %d clients failed: %s' % (len(failed), len(outcomes), '; '.join(
            '%s: %s' % (label(outcome), outcome['msg']) for outcome in failed)), **answer)
