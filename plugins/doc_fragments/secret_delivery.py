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
      - Rotations that deliver to the same O(dest) take an exclusive lock on it (a C(.NAME.lock) file beside it),
        so overlapping runs (two schedules) never interleave.
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
      - A backup that fails (O(dest) is not a regular file, say) is a failed delivery of O(dest), which is then
        not replaced; the other deliveries are still made and the secret is still returned.
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
'''
