"""The packages of plugins/module_utils are layers: a file imports only from its own package or a layer below it,
and no chain of imports runs in a circle. The order is the one plugins/module_utils/README.md gives."""

import ast
import os
import re

import pytest

COLLECTION = 'ansible_collections.genesys.cloud'
MODULE_UTILS = 'plugins.module_utils'

# Lowest first: a package may import from the packages before it, never from those after it.
LAYERS = ('_api', '_oauth', '_secrets', '_oauth_clients')

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
MODULE_UTILS_DIR = os.path.join(ROOT, *MODULE_UTILS.split('.'))


def module_name(path):
    """plugins/module_utils/_api/errors.py -> plugins.module_utils._api.errors (a package is its __init__)."""
    parts = os.path.relpath(path, ROOT)[:-len('.py')].split(os.sep)
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def imported_modules(name, source, is_package=False):
    """Every module of the collection that the source imports, at any depth of the code, as plugins.x.y names."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = name.split('.')
                anchor = anchor[:len(anchor) - node.level + (1 if is_package else 0)]
                base = '.'.join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ''
            # "from package import module" imports the module; "from module import name" the module itself.
            targets = [base] + ['%s.%s' % (base, alias.name) for alias in node.names]
        else:
            continue
        for target in targets:
            if target.startswith(COLLECTION + '.'):
                target = target[len(COLLECTION) + 1:]
            if target.startswith('plugins.'):
                found.add(target)
    return found


def import_graph():
    """{module: modules of the collection it imports} for every Python file under plugins/module_utils."""
    graph = {}
    for folder, dummy, files in os.walk(MODULE_UTILS_DIR):
        for file_name in files:
            if file_name.endswith('.py'):
                path = os.path.join(folder, file_name)
                with open(path, encoding='utf-8') as source:
                    graph[module_name(path)] = imported_modules(module_name(path), source.read(), file_name == '__init__.py')
    known = set(graph)
    return {name: {target for target in targets if target in known or not target.startswith(MODULE_UTILS + '.')}
            for name, targets in graph.items()}


def layer_of(module):
    """The layer (package) a module is in; None for anything outside plugins/module_utils/<package>/."""
    parts = module.split('.')
    if parts[:2] != MODULE_UTILS.split('.') or len(parts) < 3:
        return None
    return parts[2]


def upward_imports(graph, layers=LAYERS):
    """(importer, imported) for every import that runs to a later layer, or out of module_utils."""
    found = []
    for importer, targets in sorted(graph.items()):
        for target in sorted(targets):
            if layer_of(target) not in layers or layers.index(layer_of(target)) > layers.index(layer_of(importer)):
                found.append((importer, target))
    return found


def cycles(graph):
    """Every import cycle found by a depth-first walk, each as the list of modules that form it."""
    found, done, path = [], set(), []

    def visit(module):
        if module in path:
            found.append(path[path.index(module):] + [module])
            return
        if module in done:
            return
        path.append(module)
        for target in sorted(graph.get(module, ())):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
    return found


def test_every_file_is_in_a_layer():
    loose = [module for module in import_graph() if layer_of(module) not in LAYERS]
    assert not loose, 'files of plugins/module_utils outside the packages %s: %s' % (', '.join(LAYERS), loose)


def test_every_package_says_what_it_holds():
    """In the README: ansible-test sanity's empty-init (ansible-core 2.16 to 2.18) wants each __init__.py empty, so
    a package cannot say it in a docstring there."""
    with open(os.path.join(MODULE_UTILS_DIR, 'README.md'), encoding='utf-8') as readme:
        sections = readme.read().split('\n## ')
    for layer in LAYERS:
        with open(os.path.join(MODULE_UTILS_DIR, layer, '__init__.py'), encoding='utf-8') as init:
            assert init.read() == '', '%s/__init__.py must be empty (ansible-test sanity empty-init)' % layer
        said = [section for section in sections if section.startswith('`%s/`' % layer)]
        assert said and said[0].split('\n\n')[1].strip(), 'plugins/module_utils/README.md says nothing of %s/' % layer


def test_no_import_runs_upward():
    upward = upward_imports(import_graph())
    assert not upward, 'imports that run upward (layers, lowest first: %s):\n%s' % (
        ', '.join(LAYERS), '\n'.join('%s imports %s' % pair for pair in upward))


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, 'import cycles:\n%s' % '\n'.join(' -> '.join(cycle) for cycle in found)


def test_the_readme_gives_the_layers_in_this_order():
    with open(os.path.join(MODULE_UTILS_DIR, 'README.md'), encoding='utf-8') as readme:
        named = re.findall(r'^#+ `(_\w+)/`', readme.read(), flags=re.M)
    assert tuple(named) == LAYERS


# The checks themselves: each catches what it is for.

MU = 'plugins.module_utils.'


@pytest.mark.parametrize('importer, source, imported', [
    ('_api.module', 'from .._oauth.client_model import from_api', '_oauth.client_model'),
    ('_oauth.client_model', 'from ..%s import rotation' % '_secrets', '_secrets.rotation'),
    ('_secrets.delivery', 'from ansible_collections.genesys.cloud.plugins.module_utils._oauth_clients.ensure import x',
     '_oauth_clients.ensure'),
    ('_api.errors', 'def late():\n    from .._oauth import client_reads', '_oauth.client_reads'),
], ids=['relative', 'package-relative', 'absolute', 'inside-a-function'])
def test_an_upward_import_is_found(importer, source, imported):
    graph = {MU + importer: imported_modules(MU + importer, source)}
    assert (MU + importer, MU + imported) in upward_imports(graph)


def test_an_import_of_a_module_or_plugin_is_upward():
    graph = {MU + '_api.module': imported_modules(MU + '_api.module', 'from ...modules.oauth_client import main')}
    assert (MU + '_api.module', 'plugins.modules.oauth_client') in upward_imports(graph)


def test_imports_within_a_layer_and_downward_pass():
    graph = {MU + '_oauth_clients.ensure': imported_modules(MU + '_oauth_clients.ensure', (
        'from .usage import x\nfrom .._secrets.rotation import y\nfrom .._api import errors'))}
    assert not upward_imports(graph)


def test_a_cycle_is_found():
    graph = {MU + '_api.a': {MU + '_api.b'}, MU + '_api.b': {MU + '_api.c'}, MU + '_api.c': {MU + '_api.a'}}
    assert cycles(graph) == [[MU + '_api.a', MU + '_api.b', MU + '_api.c', MU + '_api.a']]
