# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The OAuth entities as modules return them, and how they are found: clients, roles and divisions by name, scopes, authorizations."""
