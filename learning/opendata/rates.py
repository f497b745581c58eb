"""The form of a request rate, as DRF's throttles read it: a number of requests per second, minute, hour or day.
Plain Python (no Django), so the settings can check ``OPEN_DATA_THROTTLE`` with it when they load."""

THROTTLE_RATE = r"^[1-9][0-9]{0,6}/(second|minute|hour|day)$"
