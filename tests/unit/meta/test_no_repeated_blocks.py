"""No block of six or more lines of logic is written twice in plugins/ or tests/: one piece of code serves where the
logic is the same (issue 19). CI has no duplicate finder, so this test is one: plain Python, well under a second.

What is compared: every *.py file under plugins/ and tests/, line by line, each line stripped of its indentation
and surrounding white space. These lines are passed over, so they neither make nor break a run:
- blank lines, comment lines, and lines of lone punctuation or quotes (a closing bracket, a docstring's closing
  quotes);
- import statements, whole (a parenthesised import over several lines too);
- the DOCUMENTATION, EXAMPLES and RETURN strings at the top level of a file: Ansible's docs, which must spell out
  each module's options and results, alike where the modules are alike;
- argspec scaffolding: the body of a function named ``argument_spec`` and of a top-level assignment to a name
  ending in ``ARGUMENT_SPEC``, since each option must be declared where its module declares it.
Six consecutive remaining lines that stand again elsewhere (in another file, or in the same file without
overlapping) fail the test, naming both places.
"""

import ast
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FOLDERS = ('plugins', 'tests')
MIN_LINES = 6
DOC_STRINGS = frozenset(('DOCUMENTATION', 'EXAMPLES', 'RETURN'))
LONE_PUNCTUATION = re.compile(r'^[()\[\]{},:;.\'"]+$')


def python_files():
    for folder in FOLDERS:
        for root, dirs, files in os.walk(os.path.join(REPO, folder)):
            dirs[:] = sorted(name for name in dirs if name not in ('__pycache__', 'output'))
            for name in sorted(files):
                if name.endswith('.py'):
                    yield os.path.join(root, name)


def passed_over(tree):
    """The numbers of the lines of imports, Ansible doc strings and argspec scaffolding (see the module docstring)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            skipped.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, ast.FunctionDef) and node.name == 'argument_spec':
            skipped.update(range(node.lineno, node.end_lineno + 1))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and (
                target.id in DOC_STRINGS or target.id.endswith('ARGUMENT_SPEC')) for target in node.targets):
            skipped.update(range(node.lineno, node.end_lineno + 1))
    return skipped


def code_lines(path):
    """(line number, normalised text) of each line of path that counts."""
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    skipped = passed_over(ast.parse(text, path))
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        line = ' '.join(line.split())
        if number in skipped or not line or line.startswith('#') or LONE_PUNCTUATION.match(line):
            continue
        lines.append((number, line))
    return lines


def repeated_blocks():
    """'a.py:10-24 ~ b.py:40-54' for each run of MIN_LINES or more lines that stands in two places."""
    first_seen, runs, lines_of = {}, {}, {}
    for path in python_files():
        name = os.path.relpath(path, REPO)
        lines = lines_of[name] = code_lines(path)
        for index in range(len(lines) - MIN_LINES + 1):
            window = tuple(text for _number, text in lines[index:index + MIN_LINES])
            place = (name, index)
            earlier = first_seen.setdefault(window, place)
            if earlier is place or (earlier[0] == name and index - earlier[1] < MIN_LINES):
                continue  # the first place, or a window that overlaps its own repeat (a run of alike lines)
            # A longer run is many consecutive windows: the one before this one extends it.
            run = runs.pop((earlier[0], earlier[1] - 1, name, index - 1), None) or dict(
                first=(earlier[0], lines_of[earlier[0]][earlier[1]][0]), second=(name, lines[index][0]))
            run['ends'] = (lines_of[earlier[0]][earlier[1] + MIN_LINES - 1][0], lines[index + MIN_LINES - 1][0])
            runs[(earlier[0], earlier[1], name, index)] = run
    return ['%s:%d-%d ~ %s:%d-%d' % (run['first'] + (run['ends'][0],) + run['second'] + (run['ends'][1],))
            for run in runs.values()]


def test_no_block_of_six_lines_is_repeated():
    found = repeated_blocks()
    assert not found, 'blocks of %d or more lines written twice (make one piece of code serve both):\n%s' % (
        MIN_LINES, '\n'.join(found))


def test_the_check_finds_a_block_pasted_twice(tmp_path, monkeypatch):
    (tmp_path / 'plugins').mkdir()
    block = ''.join('value_%d = compute(%d)\n' % (number, number) for number in range(MIN_LINES))
    for name in ('first', 'second'):
        (tmp_path / 'plugins' / (name + '.py')).write_text('"""The %s module."""\nimport os\n\n%s' % (name, block))
    # Five of its lines stand in a third file too: fewer than six is no run.
    (tmp_path / 'plugins' / 'third.py').write_text(block.split('\n', 1)[1])
    monkeypatch.setitem(globals(), 'REPO', str(tmp_path))
    assert repeated_blocks() == ['plugins/first.py:4-9 ~ plugins/second.py:4-9']
