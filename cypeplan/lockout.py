"""Who is signing in from where: the client's address behind the council's proxies, and
a lockout that counts failures per username and address, and per address alone."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_address(request):
    """The address the request came from.

    Without a proxy, the connection's address. Behind PROXY_COUNT proxies, each appends
    the address it received the request from to X-Forwarded-For, so the outermost proxy's
    entry is PROXY_COUNT-th from the right; anything to its left the client wrote itself
    and could have made up. A request that did not come through all the proxies (too
    few entries) is counted against the connection's own address.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits rather than one.

    AXES_LOCKOUT_PARAMETERS lists the username-and-address pair first and the address
    alone second. AXES_FAILURE_LIMIT wrong passwords for one username from one address
    lock that pair (so an attacker elsewhere cannot lock the real user out);
    AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, across usernames, lock
    the address (so one address cannot try password after password on everyone).
    """

    def get_failures(self, request, credentials=None):
        per_user, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # axes compares this with AXES_FAILURE_LIMIT: at the limit, the address is locked.
            return max(per_user, settings.AXES_FAILURE_LIMIT)
        return per_user
