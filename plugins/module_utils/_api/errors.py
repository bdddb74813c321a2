# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The exceptions of the collection: one base, GenesysModule turns any of them into a clean fail_json, and the two
kinds code tells apart: a bad option value (InputError) and a failed API call (GenesysApiError)."""

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


class GenesysApiError(GenesysError):
    """A failed call: the HTTP status, Genesys' error code, message and correlation id (contextId)."""

    def __init__(self, message, status=None, code=None, context_id=None, method=None, path=None, retries=0,
                 refused=None):
        self.status = status
        # What the collection itself refused to do ('not sent', 'redirect not followed', ...), when it refused:
        # such an error is no lost answer, and its message must not say "no response".
        self.refused = refused
        self.code = code
        self.context_id = context_id
        self.method = method
        self.path = path
        self.retries = retries
        super().__init__(message)
        self.result['api_error'] = self.as_dict()

    def __str__(self):
        facts = []
        if self.status is not None:
            facts.append('HTTP %s' % self.status)
        if self.code:
            facts.append('code %s' % self.code)
        if self.context_id:
            facts.append('correlation id %s' % self.context_id)
        if self.retries:
            facts.append('after %d retries' % self.retries)
        if self.refused:
            facts.append('refused by genesys.cloud: %s' % self.refused)
        where = ' on %s %s' % (self.method, self.path) if self.method else ''
        return '%s (%s)%s' % (self.message, ', '.join(facts) or 'no response', where)

    def as_dict(self):
        """The error as a module result entry, so playbooks can branch on status or code."""
        return dict(status=self.status, code=self.code, message=self.message, context_id=self.context_id,
                    method=self.method, path=self.path, refused=self.refused)

    @property
    def outcome_unknown(self):
        """For a write that raised this: whether it may still have taken effect. True for no answer at all (a
        timeout, a dropped connection), a 5xx (a gateway can fail after the backend did the work) and a 2xx whose
        body could not be read (not JSON, or without the field the write answers with), and a redirect: the API got
        the write before it answered where else to send it. A 4xx was refused, and a request the collection refused
        to send at all (refused: another origin, the page cap) never reached the API."""
        if self.refused:
            return False
        return self.status is None or self.status >= 500 or 200 <= self.status < 400


def unexpected_failure(exc, subject=None, changed=False, **result):
    """The GenesysError for an exception no code expected (a bug): its type and text, and a request to report it.

    subject names what failed ('genesys.cloud.oauth_client', ...); left out, the message starts 'failed unexpectedly'
    (an entry of a many-client module, whose result names it). result: what the failure must still carry.
    """
    return GenesysError('%sfailed unexpectedly (%s: %s); please report this as a bug of genesys.cloud'
                        % (subject + ' ' if subject else '', type(exc).__name__, exc), changed=changed, **result)
