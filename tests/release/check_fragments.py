"""Every change to plugins/ or roles/ comes with a changelog fragment (changelogs/fragments/).

Checks each commit since changelogs/config.yaml was added, and the uncommitted changes as one more: a commit that
touches plugins/ or roles/ must also add or change a fragment, or be a release (one that changes
changelogs/changelog.yaml). A change that users cannot see still gets a fragment, in its `trivial` section.
"""

import subprocess
import sys

WATCHED = ('plugins/', 'roles/')
FRAGMENTS = 'changelogs/fragments/'
RELEASES = 'changelogs/changelog.yaml'


def git(*args):
    return subprocess.run(('git',) + args, capture_output=True, text=True, check=True).stdout.split('\n')


def problem(paths):
    """Why this set of changed paths lacks its fragment, or None."""
    touched = sorted(path for path in paths if path.startswith(WATCHED))
    if not touched or any(path.startswith(FRAGMENTS) or path == RELEASES for path in paths):
        return None
    return 'changes %s without a changelog fragment in %s' % (', '.join(touched[:5]), FRAGMENTS)


def main():
    try:
        git('rev-parse', '--git-dir')
    except (OSError, subprocess.CalledProcessError):
        print('check_fragments: not a git checkout, nothing to check')
        return 0
    base = [line for line in git('log', '--diff-filter=A', '--format=%H', '--', 'changelogs/config.yaml') if line]
    commits = git('rev-list', '--reverse', '%s..HEAD' % base[-1]) if base else git('rev-list', '-1', 'HEAD')
    failures = []
    for commit in filter(None, commits):
        paths = set(filter(None, git('diff-tree', '--no-commit-id', '--name-only', '-r', '--root', commit)))
        why = problem(paths)
        if why:
            failures.append('commit %s (%s) %s' % (commit[:10], git('log', '-1', '--format=%s', commit)[0][:60], why))
    pending = set(filter(None, git('diff', '--name-only', 'HEAD')))
    pending |= set(filter(None, git('ls-files', '--others', '--exclude-standard')))
    why = problem(pending)
    if why:
        failures.append('the uncommitted work %s' % why)
    for failure in failures:
        print('check_fragments: %s' % failure)
    if failures:
        print('Add a fragment (https://docs.ansible.com/ansible/devel/community/development_process.html'
              '#creating-a-changelog-fragment); `trivial:` for a change users cannot see.')
        return 1
    print('check_fragments: %d commit(s) since the changelog began, each change to plugins/ or roles/ has a fragment'
          % len(list(filter(None, commits))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
