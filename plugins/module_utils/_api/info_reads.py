# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading one entity by id or a whole listing: what every *_info module does."""

from __future__ import annotations

import re

from .errors import GenesysError, InputError
from .http_client import entity_path

# A language range list as Accept-Language takes it (de-de, en;q=0.8, *): header-safe ASCII only.
LANGUAGE_PATTERN = re.compile(r'^[A-Za-z0-9*][A-Za-z0-9*,;=. -]*$')


def read_entities(api, collection_path, entity_id=None, headers=None, page_size=100):
    """A list with the one entity of that id (empty when there is none), or every entity of the listing."""
    if entity_id:
        entity = api.get_or_none(entity_path(collection_path, entity_id), headers=headers)
        return [] if entity is None else [entity]
    return list(api.paginate(collection_path, headers=headers, page_size=page_size))


def language_headers(language):
    """Genesys picks the language of descriptions from Accept-Language."""
    if language is None:
        return None
    if not LANGUAGE_PATTERN.match(language):
        raise InputError('language must be a language tag such as en-us or de-de (ASCII letters, digits and '
                         'hyphens, or an Accept-Language list), got %r' % language)
    return {'Accept-Language': language}


# The language option of modules whose answers carry descriptions (documented in genesys.cloud.language).
LANGUAGE_ARGUMENT_SPEC = dict(language=dict(type='str', default='en-us'))


def read_result(api, *, collection_path, entity_id, fail_on_missing, result_key, convert, missing_message, **read_options):
    """The whole run of a simple *_info module: read, honour fail_on_missing, the converted list as the result.

    Keyword arguments only: seven of them in a row would be read (and written) by position."""
    found = read_entities(api, collection_path, entity_id, **read_options)
    if entity_id and not found and fail_on_missing:
        raise GenesysError(missing_message % entity_id, **{result_key: []})
    return {'changed': False, result_key: [convert(entity) for entity in found]}
