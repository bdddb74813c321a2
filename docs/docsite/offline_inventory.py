"""Write a Sphinx inventory of the docs.ansible.com pages the collection's generated docs link to.

Sphinx resolves those references (return values, configuration, ansible.builtin modules) through an intersphinx
inventory; this small one lets make docs build with no network. Add a line when a build says 'undefined label'
(or, for an environment variable, 'envvar reference target not found').
"""

import sys
import zlib

# label, URI relative to https://docs.ansible.com/projects/ansible/devel/, title
LABELS = [
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values',
     'Return Values'),
    ('ansible_configuration_settings', 'reference_appendices/config.html#ansible-configuration-settings',
     'Ansible Configuration Settings'),
    ('module_defaults', 'playbook_guide/playbooks_module_defaults.html#module-defaults', 'Module defaults'),
    ('ansible_collections.ansible.builtin.copy_module',
     'collections/ansible/builtin/copy_module.html#ansible-collections-ansible-builtin-copy-module',
     'ansible.builtin.copy module'),
]

# Environment variables of ansible-core's configuration the generated docs name (the inventory cache options).
ENVVARS = ['ANSIBLE_CACHE_PLUGIN', 'ANSIBLE_CACHE_PLUGIN_CONNECTION', 'ANSIBLE_CACHE_PLUGIN_PREFIX',
           'ANSIBLE_CACHE_PLUGIN_TIMEOUT']


def main(path):
    header = '# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n' \
             '# The remainder of this file is compressed using zlib.\n'
    body = ''.join('%s std:label -1 %s %s\n' % entry for entry in LABELS)
    body += ''.join('%s std:envvar -1 reference_appendices/config.html#envvar-%s -\n' % (name, name) for name in ENVVARS)
    with open(path, 'wb') as handle:
        handle.write(header.encode('utf-8') + zlib.compress(body.encode('utf-8')))


if __name__ == '__main__':
    main(sys.argv[1])
