# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client secrets: rotation of one client or many, and delivery of a new secret (file, integration credential, test login)."""
