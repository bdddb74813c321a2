# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one exception base of the collection: GenesysModule turns any of them into a clean fail_json."""

from __future__ import annotations


class GenesysError(Exception):
    """A failure the user can read: the message says what went wrong and what was done.

    changed: whether something was changed before the failure (the task result tells the truth).
    result: what the module result should still carry (a new secret, the client as it now is, ...).
    """

    def __init__(self, message, changed=False, **result):
        super().__init__(message)
        self.message = message
        self.changed = changed
        self.result = result

    def __str__(self):
        return self.message


class InputError(GenesysError):
    """An option value that cannot work; raised before any request is sent."""
