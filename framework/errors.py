"""Errors the kernel raises. Each carries the CLI exit code of conventions §4."""


class CountyError(Exception):
    """Bad usage or bad input: exit code 2. The message is one line naming what and where."""

    exit_code = 2


class Refusal(CountyError):
    """A domain refusal (e.g. resolving a closed case): exit code 1."""

    exit_code = 1


class SourceTaken(Refusal):
    """A case whose source id was taken in before (a re-import, or another import that took
    the row meanwhile): an import counts the row as skipped, not refused."""


class NotFound(CountyError):
    """An unknown case, unit, person or method: exit code 2."""


class PluginError(CountyError):
    """A plugin failed to import or raised inside a hook. Names the plugin and the hook."""

    def __init__(self, plugin: str, hook: str, error: BaseException | str):
        self.plugin, self.hook, self.error = plugin, hook, error
        detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        super().__init__(f"plugin {plugin!r} failed in {hook}: {detail}")
