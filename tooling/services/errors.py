"""The one error the launcher raises."""


class ServiceError(RuntimeError):
    """A service could not be set up or did not come up; the message says where to look."""
