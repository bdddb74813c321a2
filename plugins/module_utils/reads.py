# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading one entity by id or a whole listing: what every *_info module does."""

from __future__ import annotations

from .api import GenesysApiError, entity_path
from .connection import api_client_from_module, fail_with_api_error


def read_entities(api, collection_path, entity_id=None, headers=None, page_size=100):
    """A list with the one entity of that id (empty when there is none), or every entity of the listing."""
    if entity_id:
        entity = api.get_or_none(entity_path(collection_path, entity_id), headers=headers)
        return [] if entity is None else [entity]
    return list(api.paginate(collection_path, headers=headers, page_size=page_size))


def language_headers(language):
    """Genesys picks the language of descriptions from Accept-Language."""
    return {'Accept-Language': language} if language else None


# The language option of modules whose answers carry descriptions (documented in genesys.cloud.language).
LANGUAGE_ARGUMENT_SPEC = dict(language=dict(type='str', default='en-us'))


def read_and_exit(module, collection_path, entity_id, result_key, convert, missing_message, **read_options):
    """The whole run of a simple *_info module: read, honour fail_on_missing, exit with the converted list."""
    api = api_client_from_module(module)
    try:
        found = read_entities(api, collection_path, entity_id, **read_options)
    except GenesysApiError as exc:
        fail_with_api_error(module, exc, 'Reading %s failed' % collection_path)
    if entity_id and not found and module.params['fail_on_missing']:
        module.fail_json(msg=missing_message % entity_id, **{result_key: []})
    module.exit_json(changed=False, **{result_key: [convert(entity) for entity in found]})
