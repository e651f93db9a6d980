"""county-methods kernel: six pluggable stages for county citizen-service work methods.

Plugin authors import :data:`hookimpl` from here::

    from framework import hookimpl

    @hookimpl
    def county_method():
        return MethodInfo(...)
"""

from framework.hookspecs import hookimpl, hookspec

__version__ = "0.1.0"
__all__ = ["hookimpl", "hookspec", "__version__"]
