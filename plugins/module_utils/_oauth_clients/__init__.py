# -*- coding: utf-8 -*-
# Copyright: genesys.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the client modules and the inventory plugin do with clients: ensure one or many, API usage, inventory hosts."""
