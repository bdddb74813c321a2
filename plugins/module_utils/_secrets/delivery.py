# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Delivering a newly issued client secret: to a file, an integration credential, and a test login.

Every requested delivery is tried, whatever failed before it; the caller always gets the secret back.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import grp
import json
import os
import pwd
import shutil
import stat
import tempfile
import time

from ansible.module_utils.basic import FILE_ATTRIBUTES, AnsibleModule

from .._api.errors import GenesysApiError, GenesysError, InputError
from .._api.http_client import as_answer, entity_path
from .integration_credentials import CREDENTIALS_PATH, find_credential, store_in_credential

DELIVERIES = ('dest', 'integration_credential', 'verify')
# The keys of a delivery's result (deliver) that a module result carries on: what was done, and where it went.
DELIVERY_RESULT_KEYS = ('deliveries', 'dest', 'backup_file', 'credential_id')
# The deliveries that keep a copy of the secret (the test login only proves it).
KEEPING_DELIVERIES = ('dest', 'integration_credential')
DEST_FORMATS = ('secret', 'json', 'yaml')

# The delivery options of oauth_client and oauth_client_secret (doc fragment genesys.cloud.secret_delivery);
# the file attributes of dest (mode, owner, group, SELinux) come from add_file_common_args.
DELIVERY_ARGUMENT_SPEC = dict(
    dest=dict(type='path'),
    dest_format=dict(type='str', choices=list(DEST_FORMATS), default='secret'),
    backup=dict(type='bool', default=False),
    integration_credential=dict(type='str', no_log=False),
    create_credential=dict(type='bool', default=False),
    take_over_credential=dict(type='bool', default=False),
    return_secret=dict(type='bool', default=False),
)

# In the entries of the many-client modules, which have no add_file_common_args: the attributes of each dest.
DEST_ATTRIBUTES_ARGUMENT_SPEC = dict(mode=dict(type='raw'), owner=dict(type='str'), group=dict(type='str'))

# How long a rotation waits for another one that holds the lock on the same dest.
LOCK_TIMEOUT = 300


class DeliveryPlan:
    """What was checked before a secret is issued: the file to write (a symlink's target) and the credential."""

    def __init__(self, target=None, credential=None, credential_client_id=None):
        self.target = target
        self.credential = credential
        self.credential_client_id = credential_client_id


def dest_target(params):
    """The file dest names, with every file option checked: the one check before any secret is issued.

    Every path that creates a client or rotates a secret calls it before its write, so a bad dest, mode, owner,
    group or attributes never costs a secret. Returns the target of a symlink, so the link keeps pointing at the
    new secret; None without dest.
    """
    if not params.get('dest'):
        return None
    target = os.path.realpath(params['dest'])
    named = params['dest'] if target == params['dest'] else '%s (a link to %s)' % (params['dest'], target)
    directory = os.path.dirname(target)
    if os.path.isdir(target) or not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise InputError('dest %s must be a file in an existing, writable directory' % named)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise InputError('dest %s cannot be examined: %s' % (named, exc.strerror or exc))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # Replacing it would put a readable file holding the secret where a device or pipe was (/dev/null).
        raise InputError('dest %s is %s, not a regular file; it is left alone and nothing was written'
                         % (named, _file_kind(existing.st_mode)))
    _check_mode_option(params.get('mode'), existing)
    _check_owner_and_group(params.get('owner'), params.get('group'))
    _check_attributes(params.get('attributes'))
    return target


def _file_kind(mode):
    for test, kind in ((stat.S_ISCHR, 'a character device'), (stat.S_ISBLK, 'a block device'),
                       (stat.S_ISFIFO, 'a FIFO (named pipe)'), (stat.S_ISSOCK, 'a socket')):
        if test(mode):
            return kind
    return 'a special file'


def _check_mode_option(mode, existing):
    """mode as AnsibleModule.set_mode_if_different takes it: an int, an octal string or a symbolic mode."""
    if mode is None:
        return
    if isinstance(mode, bool) or not isinstance(mode, (int, str)):
        bits = None
    elif isinstance(mode, int):
        bits = mode
    else:
        try:
            bits = int(mode, 8)
        except ValueError:
            # A relative symbolic mode (u+x) starts from the file's mode: a new file is born 0600.
            current = existing or os.stat_result((stat.S_IFREG | 0o600,) + (0,) * 9)
            try:
                bits = AnsibleModule._symbolic_mode_to_octal(current, mode)  # pylint: disable=protected-access
            except ValueError:
                bits = None
    if bits is None:
        raise InputError("mode %r must be in octal (such as '0640') or symbolic form (such as 'u=rw,g=r'); "
                         "nothing was written" % (mode,))
    if not 0 <= bits <= 0o7777:
        raise InputError('mode %r is more than the permission bits (0 to 07777); nothing was written' % (mode,))


def _check_owner_and_group(owner, group):
    """owner and group as chown takes them (a name, or a number), and ones this user may give."""
    uid = gid = None
    if owner is not None:
        try:
            uid = int(owner) if str(owner).isdigit() else pwd.getpwnam(owner).pw_uid
        except KeyError:
            raise InputError('owner %r is no user on this host; nothing was written' % owner) from None
    if group is not None:
        try:
            gid = int(group) if str(group).isdigit() else grp.getgrnam(group).gr_gid
        except KeyError:
            raise InputError('group %r is no group on this host; nothing was written' % group) from None
    if os.geteuid() == 0:
        return
    # Without root, chown to another user and chgrp to a group one is not in fail with EPERM.
    if uid is not None and uid != os.geteuid():
        raise InputError('owner %r: only root can give a file to another user, and the module runs as uid %d; '
                         'nothing was written' % (owner, os.geteuid()))
    if gid is not None and gid != os.getegid() and gid not in os.getgroups():
        raise InputError('group %r is not one of the groups of the user the module runs as (uid %d), so it cannot '
                         'be given to dest; nothing was written' % (group, os.geteuid()))


def _check_attributes(attributes):
    """attributes as set_attributes_if_different hands them to chattr: an optional + or -, then known flags."""
    if not attributes:
        return
    flags = attributes[1:] if attributes[0] in '+-' else attributes
    unknown = sorted(set(flags) - set(FILE_ATTRIBUTES))
    if unknown:
        raise InputError('attributes %r: %s %s no file attribute chattr knows (known: %s); nothing was written'
                         % (attributes, ', '.join(unknown), 'is' if len(unknown) == 1 else 'are',
                            ''.join(sorted(FILE_ATTRIBUTES))))


@contextlib.contextmanager
def dest_lock(target, check_mode=False):
    """Hold an exclusive lock on target for a whole rotation, so two rotations to one file never interleave.

    Taken before the write that issues a secret, so a lock that cannot be taken costs nothing. In check mode no
    lock is taken and no file is created, but an existing lock file that a real run could not open is refused
    as it would be.
    """
    if target is None:
        yield
        return
    lock_path = os.path.join(os.path.dirname(target), '.%s.lock' % os.path.basename(target))
    if check_mode and not os.path.lexists(lock_path):
        yield
        return
    # O_NOFOLLOW: a lock file replaced by a symlink must not make the module create or open a file elsewhere.
    flags = os.O_RDWR | os.O_NOFOLLOW | (0 if check_mode else os.O_CREAT)
    try:
        handle = os.open(lock_path, flags, 0o600)
    except OSError as exc:
        raise GenesysError('cannot take the lock on dest %s: %s; nothing was written'
                           % (target, _lock_problem(lock_path, exc))) from None
    if check_mode:
        os.close(handle)
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise GenesysError('another rotation has held the lock on %s for %d seconds; nothing was rotated'
                                       % (target, LOCK_TIMEOUT))
                time.sleep(0.2)
        yield
    finally:
        os.close(handle)  # closing releases the lock, and so does the end of a killed process


def _lock_problem(lock_path, exc):
    if exc.errno == errno.EISDIR:
        return '%s is a directory (remove it)' % lock_path
    if exc.errno == errno.ELOOP:
        return '%s is a symbolic link, which the lock never follows (remove it)' % lock_path
    return '%s cannot be opened for writing (%s)' % (lock_path, exc.strerror or exc)


def plan_delivery(api, params, client_id, target):
    """Read-only checks before a secret is issued, so a bad option never costs a secret.

    target is dest_target(params), already checked (the caller holds its lock). client_id is None for a client
    not created yet: then any credential that holds a client is another's.
    """
    credential, owner = None, None
    if params.get('integration_credential'):
        credential = find_credential(api, params['integration_credential'])
        if credential is None and not params.get('create_credential'):
            raise InputError('no integration credential %r; set create_credential=true to create it'
                             % params['integration_credential'])
        if credential is not None:
            path = entity_path(CREDENTIALS_PATH, credential['id'])
            answer = api.get(path)
            fields = as_answer(answer).object('credentialFields') if answer is not None else None
            owner = (fields.text('clientId') if fields is not None else None) or None
            if owner and owner != client_id and not params.get('take_over_credential'):
                raise GenesysError('integration credential %r holds the secret of client %s, not of %s; set '
                                   'take_over_credential=true to repoint it'
                                   % (params['integration_credential'], owner, client_id or 'the new client'))
    return DeliveryPlan(target, credential, owner)


def requested_deliveries(params):
    return [step for step in DELIVERIES if params.get(step)]


def kept_nowhere_problem(params, action):
    """Why a secret this task would issue (action: 'creating client X', 'rotating the secret') would be lost, or None.

    A secret goes to the task result only with return_secret, so without it and without a delivery that keeps a
    copy, the one moment the API shows it would pass with the secret kept nowhere. Asked before the write.
    """
    if params.get('return_secret') or any(params.get(step) for step in KEEPING_DELIVERIES):
        return None
    return ('%s would issue a secret that is kept nowhere: give dest or integration_credential, or set '
            'return_secret=true to get it in the result (then use no_log: true on the task)' % action)


def withhold_kept_secret(module, params, result, deliveries):
    """Take the secret out of result unless return_secret asks for it or no delivery kept a copy.

    A secret that reached no file or credential stays in the result whatever return_secret says: losing it would be
    worse than showing it. A withheld one is added to the values Ansible masks, so no other field can show it.
    Returns whether the secret is still in the result.
    """
    secret = result.get('secret')
    if not secret or params.get('return_secret') or not any(deliveries.get(step) == 'done' for step in KEEPING_DELIVERIES):
        return bool(secret)
    del result['secret']
    if module is not None:
        module.no_log_values.add(secret)
    return False


def secret_document(dest_format, client_id, secret, rotated_at):
    if dest_format == 'secret':
        return secret + '\n'
    document = dict(client_id=client_id, client_secret=secret, rotated_at=rotated_at)
    if dest_format == 'json':
        return json.dumps(document, indent=2) + '\n'
    # JSON strings are valid YAML scalars: no YAML library needed on the host.
    return ''.join('%s: %s\n' % (key, json.dumps(value)) for key, value in document.items())


def read_secret_file(target, dest_format):
    """(secret, rotated_at) from a file secret_document wrote; (None, None) when it is missing or unreadable.

    rotated_at is the file's modification time for the secret format, which has no field for it.
    """
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            return None, None  # a FIFO or device would block or never end: it holds no secret file
        with open(target, encoding='utf-8') as stream:
            text = stream.read()
        modified = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(info.st_mtime))
    except (OSError, UnicodeError):
        return None, None
    try:
        if dest_format == 'secret':
            return text.strip() or None, modified
        if dest_format == 'json':
            document = json.loads(text)
        else:
            document = {}
            for line in text.splitlines():
                key, _sep, value = line.partition(':')
                if value.strip():
                    document[key.strip()] = json.loads(value.strip())
        secret = document.get('client_secret')
        if not isinstance(secret, str) or not secret:
            return None, None
        return secret, document.get('rotated_at') or modified
    except (ValueError, AttributeError):
        return None, None


def backup_copy(target):
    """A copy of target beside it, as backup=true in ansible.builtin.copy, but mode 0600 whatever target's is."""
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise OSError('cannot back up %s: it is not a regular file' % target)
    backup = '%s.%d.%s~' % (target, os.getpid(), time.strftime('%Y-%m-%d@%H:%M:%S'))
    handle = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, 'wb') as copy, open(target, 'rb') as source:
        shutil.copyfileobj(source, copy)
    return backup


def write_dest(module, params, target, content):
    """Write the secret file the Ansible way: atomic, new files 0600 unless mode says otherwise, an existing
    file keeping its owner, group and mode, then the file attributes the task gives."""
    existed = os.path.exists(target)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix='.%s.' % os.path.basename(target),
                                         suffix='.tmp')
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        # atomic_move gives a new file the umask's mode: with 077 it is born 0600, never readable by others.
        previous_umask = os.umask(0o077)
        try:
            with module.failures_raise():
                module.atomic_move(temporary, target, unsafe_writes=params.get('unsafe_writes'))
        finally:
            os.umask(previous_umask)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    file_args = module.load_file_common_arguments(params, path=target)
    if not existed and file_args.get('mode') is None:
        file_args['mode'] = '0600'
    with module.failures_raise():
        module.set_fs_attributes_if_different(file_args, True)


def login_refusal(api, client_id, secret):
    """None when client_id logs in with secret (client-credentials clients); else the GenesysApiError of the login's
    refusal (400 or 401). Any other failure is raised: it says nothing about the secret."""
    try:
        api.for_credentials(client_id, secret).login()
    except GenesysApiError as exc:
        if exc.status in (400, 401):
            return exc
        raise
    return None


def _describe(exc):
    return str(exc) if isinstance(exc, (GenesysError, OSError, ValueError)) else '%s: %s' % (type(exc).__name__, exc)


def deliver(module, api, params, plan, client_id, secret, issued_at, headline, secret_field='secret'):
    """Every requested delivery in order, each tried even when an earlier one failed.

    headline says what happened before (the client WAS created, the secret WAS rotated) for the failure message;
    secret_field names where the secret sits in the module's result, for that message.
    """
    steps = requested_deliveries(params)
    result = dict(changed=True, client_id=client_id, secret=secret, rotated_at=issued_at,
                  deliveries={step: ('pending' if step in steps else 'not requested') for step in DELIVERIES})
    failures = []
    for step in steps:
        try:
            if step == 'dest':
                if params.get('backup') and os.path.exists(plan.target):
                    result['backup_file'] = backup_copy(plan.target)
                write_dest(module, params, plan.target,
                           secret_document(params['dest_format'], client_id, secret, issued_at))
                result['dest'] = params['dest']
            elif step == 'integration_credential':
                result['credential_id'] = store_in_credential(api, plan.credential, params['integration_credential'],
                                                              client_id, secret)
            else:
                refusal = login_refusal(api, client_id, secret)
                if refusal:
                    raise GenesysError('%s; the new secret does not log in (has another rotation replaced it since?)'
                                       % refusal.message)
            result['deliveries'][step] = 'done'
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # Whatever went wrong, the new secret must still reach the caller.
            result['deliveries'][step] = 'failed'
            failures.append('%s failed: %s' % (step, _describe(exc).replace(secret, '********')))
    returned = withhold_kept_secret(module, params, result, result['deliveries'])
    if failures:
        done = [step for step, state in result['deliveries'].items() if state == 'done']
        if returned:
            where = ('The new secret is in this result as %s (register it; use no_log) so a rescue block can finish '
                     'the delivery.' % secret_field)
        else:
            where = ('The new secret is kept in %s; return_secret=false keeps it out of this result.'
                     % ', '.join(step for step in done if step in KEEPING_DELIVERIES))
        # The secret WAS issued: the failure carries what was done (result, changed=True), and the secret unless kept.
        raise GenesysError('%s %s. Delivered: %s. %s' % (headline, '; '.join(failures), ', '.join(done) or 'nothing', where),
                           **dict(result, changed=True))
    return result
