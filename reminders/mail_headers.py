"""
The List-Unsubscribe header written as mail clients read it: `<https://...>` on one line.

Python's email package folds a header at 78 characters, and a single word longer than that
(our unsubscribe address, with its signed token) it writes as RFC 2047 encoded words
(`=?utf-8?q?=3Chttps=3A//...?=`). That is fine for a subject, but List-Unsubscribe holds
addresses (RFC 2369), which encoded words are not allowed to carry, so Gmail's and Yahoo's
"Unsubscribe" button would not find ours. A line may be up to 998 characters (RFC 5322), so an
ASCII address that fits is written as it is; anything else is folded as before.

Registered once, in RemindersConfig.ready: the email package keeps one header registry for all
its policies, the SMTP one Django sends with included.
"""

import email.policy
from email.headerregistry import UnstructuredHeader

NAMES = ("list-unsubscribe",)
LONGEST_LINE = 998


class AddressListHeader(UnstructuredHeader):
    """A header of addresses in angle brackets, never turned into encoded words."""

    def fold(self, *, policy):
        line = f"{self.name}: {self}"
        if line.isascii() and "\n" not in line and len(line) <= LONGEST_LINE:
            return line + policy.linesep
        return super().fold(policy=policy)


def register():
    for name in NAMES:
        email.policy.default.header_factory.map_to_type(name, AddressListHeader)
