"""Collection metadata stays in step with the code."""

import json
import os

import yaml

from ansible_collections.genesys.cloud.plugins.module_utils._api.version import COLLECTION_VERSION

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def load(path):
    with open(os.path.join(REPO, path), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def collection_version():
    """The version from galaxy.yml in the repository, or from MANIFEST.json in an installed tree (ansible-test units)."""
    if os.path.exists(os.path.join(REPO, 'galaxy.yml')):
        return load('galaxy.yml')['version']
    with open(os.path.join(REPO, 'MANIFEST.json'), encoding='utf-8') as handle:
        return json.load(handle)['collection_info']['version']


def test_user_agent_version_is_the_galaxy_version():
    assert COLLECTION_VERSION == collection_version()


def test_action_group_lists_every_module():
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(REPO, 'plugins', 'modules')) if name.endswith('.py'))
    assert modules
    assert sorted(load('meta/runtime.yml')['action_groups']['genesys']) == modules
