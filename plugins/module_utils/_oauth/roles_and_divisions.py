# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Roles and divisions of a client's roles: names resolved to ids, and ids checked, before any write, once each per run."""

from __future__ import annotations

from .._api.errors import GenesysApiError, InputError
from .._api.http_client import entity_path, require_field

ROLES_PATH = '/api/v2/authorization/roles'
DIVISIONS_PATH = '/api/v2/authorization/divisions'
HOME_DIVISION_PATH = DIVISIONS_PATH + '/home'
ALL_DIVISIONS = '*'


def uses_names(roles):
    return any(role.get('role') or role.get('division') for role in roles or [])


class NameResolver:
    """Role and division ids by exact name; each distinct name costs one filtered listing per run.

    The API's name filter is a search term (it may match more than the name), so the exact name is picked here.
    """

    def __init__(self, api):
        self.api = api
        self.names = {}  # (kind, id) -> name, for the names this run resolved
        self.known_ids = set()  # (kind, id) the API confirmed this run
        self._home_division_id = None

    def home_division_id(self):
        """The id of the organisation's home division (a role given no division gets it), asked once a run."""
        if self._home_division_id is None:
            self._home_division_id = require_field(self.api.get(HOME_DIVISION_PATH), 'id', 'GET', HOME_DIVISION_PATH)
            self.known_ids.add(('division', self._home_division_id))  # the API named it: no need to ask again
        return self._home_division_id

    def _id(self, path, kind, name):
        known = [entity_id for (known_kind, entity_id), known_name in self.names.items()
                 if known_kind == kind and known_name == name]
        if known:
            return known[0]
        found = list(self.api.paginate(path, params=dict(name=name)))
        exact = [entity for entity in found if entity.text('name') == name and entity.text('id', required=True)]
        if len(exact) != 1:
            candidates = ', '.join('%s (%s)' % (entity.get('name'), entity.get('id')) for entity in exact or found)
            raise InputError('%s %r is %s; %s' % (
                kind, name, 'ambiguous' if exact else 'unknown',
                'candidates: %s; give %s_id instead' % (candidates, kind) if candidates else 'no %s name contains it' % kind))
        self.names[(kind, exact[0]['id'])] = name
        return exact[0]['id']

    def with_ids(self, roles):
        """The roles with role_id and division_id, names resolved (no division stays: the home division)."""
        resolved = []
        for role in roles:
            division = role.get('division_id') or role.get('division')
            if role.get('division') and role['division'] != ALL_DIVISIONS:
                division = self._id(DIVISIONS_PATH, 'division', role['division'])
            resolved.append(dict(role_id=role.get('role_id') or self._id(ROLES_PATH, 'role', role['role']),
                                 division_id=division))
        return resolved

    def check_ids(self, roles):
        """Refuse role and division ids the organisation does not have, before any write (check mode too, so it
        predicts the real run): one GET per distinct id this run has not met yet. A login without
        authorization:role:view (or authorization:division:view) is answered 403: those ids are left to the API."""
        unknown = []
        for kind, path, ids in (('role', ROLES_PATH, [role['role_id'] for role in roles]),
                                ('division', DIVISIONS_PATH, [role.get('division_id') for role in roles])):
            for entity_id in sorted({entity_id for entity_id in ids if entity_id and entity_id != ALL_DIVISIONS}):
                if (kind, entity_id) in self.names or (kind, entity_id) in self.known_ids:
                    continue
                try:
                    found = self.api.get_or_none(entity_path(path, entity_id))
                except GenesysApiError as exc:
                    if exc.status != 403:
                        raise
                    break  # a login that may not read roles (or divisions): the API judges the ids at the write
                if found is None:
                    unknown.append('%s_id %s' % (kind, entity_id))
                else:
                    self.known_ids.add((kind, entity_id))
        if unknown:
            raise InputError('roles: the organisation has no %s; nothing was written' % ', '.join(unknown))

    def with_names(self, roles):
        """Returned roles with role_name and division_name where this run resolved them."""
        for role in roles or []:
            for kind in ('role', 'division'):
                name = self.names.get((kind, role.get(kind + '_id')))
                if name:
                    role[kind + '_name'] = name
        return roles
