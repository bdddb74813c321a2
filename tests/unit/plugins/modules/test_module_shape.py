"""Every module has one shape: DOCUMENTATION, EXAMPLES, RETURN, argument_spec() and a main() of at most 10 lines
that builds GenesysModule with the argument spec and its cross-field rules, then runs one module_utils operation
with keyword arguments. The body lives in module_utils, where the many-client modules and the tests reach it."""

import ast
import importlib
import pathlib

import pytest

MODULES = pathlib.Path(__file__).resolve().parents[4] / 'plugins' / 'modules'
MODULE_UTILS = 'ansible_collections.genesys.cloud.plugins.module_utils.'
MAX_MAIN_LINES = 10
# What main() may hand GenesysModule besides the argument spec: AnsibleModule's switches and the cross-field rules.
MODULE_KEYWORDS = {'supports_check_mode', 'add_file_common_args',
                   'required_one_of', 'mutually_exclusive', 'required_if', 'required_by', 'required_together'}


def module_files():
    return sorted(MODULES.glob('*.py'))


def parsed(path):
    return ast.parse(path.read_text(), filename=str(path))


def calls_in(node):
    return [item for item in ast.walk(node) if isinstance(item, ast.Call)]


def test_every_module_is_checked():
    assert len(module_files()) >= 9


@pytest.mark.parametrize('path', module_files(), ids=lambda path: path.stem)
def test_the_module_file_holds_the_docs_argument_spec_and_main_only(path):
    tree = parsed(path)
    assigned = {target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets}
    assert {'DOCUMENTATION', 'EXAMPLES', 'RETURN'} <= assigned
    assert [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))] == ['argument_spec', 'main']
    imported = [node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module != '__future__']
    assert imported and all(name.startswith(MODULE_UTILS) for name in imported), imported
    spec = importlib.import_module('ansible_collections.genesys.cloud.plugins.modules.' + path.stem).argument_spec()
    assert isinstance(spec, dict)


@pytest.mark.parametrize('path', module_files(), ids=lambda path: path.stem)
def test_main_is_short_builds_genesys_module_and_runs_one_operation_by_keywords(path):
    tree = parsed(path)
    main = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == 'main')
    assert main.end_lineno - main.lineno + 1 <= MAX_MAIN_LINES, 'main() of %s has more than %d lines' % (path.stem, MAX_MAIN_LINES)

    builds = [call for call in calls_in(main) if isinstance(call.func, ast.Name) and call.func.id == 'GenesysModule']
    assert len(builds) == 1 and not builds[0].args
    keywords = {keyword.arg: keyword.value for keyword in builds[0].keywords}
    spec = keywords.pop('argument_spec')
    assert isinstance(spec, ast.Call) and spec.func.id == 'argument_spec' and not spec.args
    rules = keywords.pop(None, None)  # **SOME_RULES: the cross-field rules a many-client module shares
    assert rules is None or (isinstance(rules, ast.Name) and rules.id.endswith('_RULES'))
    assert set(keywords) <= MODULE_KEYWORDS, set(keywords) - MODULE_KEYWORDS

    runs = [call for call in calls_in(main) if isinstance(call.func, ast.Attribute) and call.func.attr == 'run']
    assert len(runs) == 1 and len(runs[0].args) == 1 and isinstance(runs[0].args[0], ast.Lambda)
    operation = runs[0].args[0].body
    assert isinstance(operation, ast.Call) and isinstance(operation.func, ast.Name)
    assert not operation.args and operation.keywords, '%s calls %s with positional arguments' % (path.stem, operation.func.id)
    imported = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
                and node.module.startswith(MODULE_UTILS) for alias in node.names}
    assert operation.func.id in imported
