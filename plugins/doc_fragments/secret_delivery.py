# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Where a newly issued client secret is delivered (genesys.cloud.secret_delivery)."""

    DOCUMENTATION = r'''
options:
  dest:
    description:
      - Write the new secret to this file on the host the module runs on, atomically (a temporary file in the
        same folder, then a rename), so the file never holds half a secret.
      - A new file is created with mode C(0600) unless O(mode) says otherwise; an existing file keeps its owner,
        group and mode (a service that reads it through its group goes on reading it). O(mode), O(owner),
        O(group) and the SELinux options apply as in M(ansible.builtin.copy).
      - A symlink is followed, so its target gets the new secret and the link stays.
      - An existing O(dest) that is not a regular file once symlinks are followed (a device such as C(/dev/null),
        a FIFO, a socket) is refused, so it is never replaced by a file that holds the secret.
      - Everything about the file is checked before the secret is issued (before the create or the rotation), so
        a bad option never costs a secret. That is the folder, the kind of an existing file, O(mode) (octal or symbolic,
        as Ansible takes it), O(owner) and O(group) (they must exist on the host; without root, only the module's
        own user and groups can be given), and the letters of O(attributes). Whether the file system supports
        O(attributes), and the SELinux options, are only known when they are applied after the write; such a
        failure keeps the new secret in the result.
      - Rotations that deliver to the same O(dest) take an exclusive lock on it (a C(.NAME.lock) file beside it),
        so overlapping runs (two schedules) never interleave. The lock is taken before the secret is issued; a
        lock file that is a directory, a symlink or cannot be opened fails the task naming it, with nothing
        written. Check mode takes no lock and creates no file.
    type: path
  dest_format:
    description:
      - V(secret) writes the secret alone; V(json) and V(yaml) write C(client_id), C(client_secret) and
        C(rotated_at).
    type: str
    choices: [secret, json, yaml]
    default: secret
  backup:
    description:
      - Keep a timestamped copy of an existing O(dest) before replacing it, as M(ansible.builtin.copy) does.
        The copy is mode C(0600) whatever the old file's mode was, since it holds a secret too.
      - A backup that fails (the disk is full, say) is a failed delivery of O(dest), which is then not replaced;
        the other deliveries are still made and the secret is still returned.
    type: bool
    default: false
  integration_credential:
    description:
      - Id or exact name of a Genesys integration credential of type C(pureCloudOAuthClient) to update with the
        client id and new secret, so data actions that use it keep working.
    type: str
  create_credential:
    description:
      - Create the integration credential named O(integration_credential) when it does not exist.
    type: bool
    default: false
  take_over_credential:
    description:
      - Allow updating an integration credential that holds another client's id. Without it, such a credential
        makes the module fail before anything is written, since repointing it would break the data actions
        that use the other client.
    type: bool
    default: false
  return_secret:
    description:
      - Return a newly issued secret in the task result, for the tasks after it (C(register)) or a C(rescue)
        block (C(ansible_failed_result)).
      - By default the secret is delivered (O(dest), O(integration_credential)) and left out of the result, so
        C(--check --diff) and the task's output show the plan and what was done. The secret is still returned when
        no delivery could keep it (they all failed), since a secret the API shows once must never be lost.
      - Use C(no_log) on a task that sets O(return_secret=true), since Ansible prints results at C(-v) and AWX
        stores them in its job events.
      - A failed result that holds a secret (every delivery failed, or O(return_secret=true)) is hidden as under
        C(no_log) by the module's action plugin, since Ansible prints a failure at any verbosity;
        C(ansible_failed_result) and the registered variable still hold it, for a C(rescue) block.
      - A task that would issue a secret with neither O(dest) nor O(integration_credential) nor
        O(return_secret=true) is refused before it writes anything, as its secret would be kept nowhere.
    type: bool
    default: false
    version_added: 0.2.0
'''
