"""Business operations: each takes (session, actor, ...), authorises, scopes, audits."""
