"""Let ansible-test bootstrap pip on a machine that cannot download get-pip.

Why: ansible-test installs pip into every sanity venv it makes with a get-pip script that it downloads from
ci-files.testing.ansible.com, which this project's machines cannot reach (its name does not resolve), unless
~/.ansible/test/cache/get_pip_<pip version>.py exists. This writes a stand-in there, only when it is missing or
different: it installs pip with ensurepip and then runs pip with the arguments ansible-test gave.
"""

import os
import re

import ansible_test

SHIM = '''"""Stand-in for get-pip.py written by genesys.cloud tests/sanity/prepare_pip_bootstrap.py."""
import os
import subprocess
import sys

env = dict(os.environ)
env.pop('PIP_CONFIG_FILE', None)  # ensurepip sets it to os.devnull; keep the machine's pip configuration
subprocess.run([sys.executable, '-m', 'ensurepip', '--upgrade'], check=True, env=env, stdout=subprocess.DEVNULL)
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.run([sys.executable, '-m', 'pip', 'install'] + args, env=env, check=False).returncode)
'''


def main():
    source = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(source, encoding='utf-8') as handle:
        pip_version = re.search(r"pip='([0-9.]+)'", handle.read()).group(1)
    path = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % pip_version.replace('.', '_'))
    if os.path.exists(path):
        with open(path, encoding='utf-8') as handle:
            if handle.read() == SHIM:
                return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = '%s.%d' % (path, os.getpid())  # releases run side by side: never let one read a half-written file
    with open(partial, 'w', encoding='utf-8') as handle:
        handle.write(SHIM)
    os.replace(partial, path)
    print('pip bootstrap for ansible-test written to %s' % path)


if __name__ == '__main__':
    main()
