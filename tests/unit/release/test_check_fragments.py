"""tests/release/check_fragments.py: a change to plugins/ or roles/ without a changelog fragment fails."""

import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      'release', 'check_fragments.py')


def write(repo, files, mode='w'):
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
        with open(os.path.join(repo, path), mode, encoding='utf-8') as handle:
            handle.write(text)


def commit(repo, files, message):
    write(repo, files)
    subprocess.run(['git', 'add', '-A'], cwd=repo, check=True)
    subprocess.run(['git', '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', message],
                   cwd=repo, check=True)


def check(repo):
    return subprocess.run([sys.executable, SCRIPT], cwd=repo, capture_output=True, text=True, check=False)


def test_only_changes_to_plugins_or_roles_since_the_changelog_began_need_a_fragment(tmp_path):
    repo = str(tmp_path)
    subprocess.run(['git', 'init', '-q'], cwd=repo, check=True)
    commit(repo, {'plugins/modules/old.py': '# before the changelog\n'}, 'before')
    commit(repo, {'changelogs/config.yaml': 'title: x\n'}, 'changelog begins')
    commit(repo, {'plugins/modules/a.py': '# a\n', 'changelogs/fragments/a.yml': 'minor_changes: [a]\n'}, 'with')
    commit(repo, {'tests/t.py': '# t\n'}, 'tests only')
    assert check(repo).returncode == 0

    commit(repo, {'roles/r/tasks/main.yml': '---\n'}, 'role change without a fragment')
    result = check(repo)
    assert result.returncode == 1
    assert 'role change without a fragment' in result.stdout and 'roles/r/tasks/main.yml' in result.stdout
    assert 'tests only' not in result.stdout


def test_uncommitted_work_is_checked_too(tmp_path):
    repo = str(tmp_path)
    subprocess.run(['git', 'init', '-q'], cwd=repo, check=True)
    commit(repo, {'changelogs/config.yaml': 'title: x\n'}, 'changelog begins')
    write(repo, {'changelogs/config.yaml': '# edited\n'}, mode='a')
    write(repo, {'plugins/new.py': '# new\n'})
    result = check(repo)
    assert result.returncode == 1 and 'uncommitted work' in result.stdout
    write(repo, {'changelogs/fragments/new.yml': 'minor_changes: [new]\n'})
    assert check(repo).returncode == 0
