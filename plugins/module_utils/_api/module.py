# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""GenesysModule: the AnsibleModule every module of the collection is, so that none of them ends in a traceback."""

from __future__ import annotations

import contextlib
import os
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from .connection import api_client_from_options, genesys_argument_spec, prepare_login
from .errors import GenesysError, InputError, unexpected_failure
from .http_client import DOT_SEGMENTS, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, RetryCount

TEXT_TYPES = ('str', 'path')


def refuse_dot_ids(params):
    """An id of '.' or '..' would address the folder of the collection, or its parent, not an entity."""
    for name, value in params.items():
        if name.endswith('_id') and value in DOT_SEGMENTS:
            raise InputError('%s cannot be %r: that is a folder of the URL, not an id' % (name, value))


def refuse_non_text(spec, raw, where=''):
    """A list or dict given for a text option is a mistake: Ansible would quietly turn it into "['x']"."""
    for name, option in spec.items():
        value = raw.get(name) if isinstance(raw, dict) else None
        if value is None:
            continue
        if option.get('type', 'str') in TEXT_TYPES and isinstance(value, (list, dict)):
            raise InputError('%s%s must be a string, not a %s' % (where, name, 'list' if isinstance(value, list) else 'dict'))
        if option.get('options'):
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                refuse_non_text(option['options'], item, '%s%s[%d].' % (where, name, index))


class GenesysModule(AnsibleModule):
    """An AnsibleModule with the connection options merged in, the login method resolved and .api built.

    run() executes the module's body: a GenesysError becomes fail_json with its message and partial result,
    anything else a clean message too; either way `changed` is true when a write succeeded before the failure.
    Every result, success or failure, carries api_retries: the retries of the run's requests (RetryCount).
    """

    def __init__(self, argument_spec, **kwargs):
        self._raw_params = {}
        super().__init__(argument_spec=genesys_argument_spec(**argument_spec), **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        problem = None
        try:
            refuse_non_text(self.argument_spec, self._raw_params)
            refuse_dot_ids(self.params)
            # Values from the environment were not in the task, so Ansible does not know to hide them.
            self.no_log_values.update(prepare_login(self.params, os.environ))
        except GenesysError as exc:
            problem = str(exc)
        if problem:
            self.fail_json(msg=problem)
        self.api = api_client_from_options(self.params)

    @contextlib.contextmanager
    def failures_raise(self):
        """Within this block, AnsibleModule helpers that call fail_json (atomic_move, set_fs_attributes_if_different
        on some ansible-core versions) raise a GenesysError instead of ending the module, so the caller can go on:
        a failed file write must not lose a new secret or skip the other deliveries."""
        self._failures_raise = True
        try:
            yield
        finally:
            self._failures_raise = False

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        if getattr(self, '_failures_raise', False):
            raise GenesysError(msg)
        super().fail_json(msg=msg, **self._with_retries(kwargs))

    def exit_json(self, **kwargs):
        super().exit_json(**self._with_retries(kwargs))

    def _with_retries(self, result):
        """The result with api_retries; none were made when the module ends before its API client exists."""
        api = getattr(self, 'api', None)
        result.setdefault('api_retries', (api.retried if api is not None else RetryCount()).as_result())
        return result

    def _load_params(self):
        super()._load_params()
        # A null is an option left out, as in the entries of the many-client modules: the argument spec's cross-field
        # rules (required_one_of, mutually_exclusive, required_if) count the options given, and `name: null` names
        # no client. Ansible's own keys (_ansible_*) are kept as they are.
        self.params = {name: value for name, value in self.params.items() if value is not None or name.startswith('_ansible_')}
        # The values as the task gave them, before Ansible converts them to the option types.
        self._raw_params = dict(self.params)

    def run(self, body):
        """Exit with the result dict body() returns, or fail cleanly whatever it raises."""
        result = failure = None
        try:
            result = body()
        except GenesysError as exc:
            failure = dict(exc.result, msg=str(exc), changed=exc.changed)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            failure = dict(msg=str(unexpected_failure(exc, self._name)), exception=traceback.format_exc(), changed=False)
        if failure is None:
            self.exit_json(**result)
        # Outside the except blocks, so Ansible attaches no traceback of its own to the failure.
        if self.api.changes and not failure['changed']:
            failure['changed'] = True
            failure['msg'] += ' (these writes had succeeded before the failure: %s)' % ', '.join(self.api.changes)
        self.fail_json(**failure)
