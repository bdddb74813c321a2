# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Roles and divisions given by name in a client's roles: resolved to ids before any write, once per name."""

from __future__ import annotations

from ._errors import InputError

ROLES_PATH = '/api/v2/authorization/roles'
DIVISIONS_PATH = '/api/v2/authorization/divisions'
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

    def _id(self, path, kind, name):
        known = [entity_id for (known_kind, entity_id), known_name in self.names.items()
                 if known_kind == kind and known_name == name]
        if known:
            return known[0]
        found = list(self.api.paginate(path, params=dict(name=name)))
        exact = [entity for entity in found if entity.get('name') == name]
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

    def with_names(self, roles):
        """Returned roles with role_name and division_name where this run resolved them."""
        for role in roles or []:
            for kind in ('role', 'division'):
                name = self.names.get((kind, role.get(kind + '_id')))
                if name:
                    role[kind + '_name'] = name
        return roles
