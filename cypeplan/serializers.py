"""Django's JSON serialization, keeping times to the microsecond.

Django's JSON encoder writes datetimes as ECMA-262 does, cut to the millisecond, so a
dump reloaded elsewhere would move every update's entered_at (and which of two updates
entered in the same millisecond came last). Registered as the "json" format in
settings.SERIALIZATION_MODULES, so dumpdata and loaddata use it; reading is Django's own.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactTimesEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactTimesEncoder)
        super()._init_options()
