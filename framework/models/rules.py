"""How a method's bindable stages may be composed with other methods (``[bindings]``):
:class:`StageRule` and its check on ``MethodInfo.stage_rules`` (docs/hooks.md §11.1). Kept
apart from :mod:`framework.models`, which re-exports them, so that module stays small.
"""

from __future__ import annotations

import attrs

#: The stages a deployment's ``[bindings]`` may give to another method (each case calls one plugin).
BINDABLE_STAGES = ("intake", "triage", "assignment", "deadline")


def _names(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.define(frozen=True)
class StageRule:
    """How one of a method's bindable stages may be composed with other methods (``[bindings]``).

    Two sides, checked by ``county init`` for every binding ``[bindings] SRC.STAGE = "TGT"``:

    * what SRC asks of the method bound to its stage — ``keep``: nothing but its own (the
      binding is refused); otherwise TGT's tier chain must have the ``tiers`` named, start at
      ``first_tier``, and have its first tier served by units of one of ``first_level``;
    * whether TGT's own hook may run for another method's cases — ``lend=False``: it serves
      only TGT's own cases (it reads what only TGT's intake, triage or commands write), so
      binding any other method's stage to TGT is refused.

    ``reason`` is the source rule behind the restriction (casebook line), quoted in the refusal.
    A stage without a rule takes any method and serves any method (the kernel's default).
    """

    reason: str = attrs.field()
    keep: bool = False
    tiers: tuple[str, ...] = attrs.field(default=(), converter=_names)
    first_tier: str | None = None
    first_level: tuple[str, ...] = attrs.field(default=(), converter=_names)
    lend: bool = True

    @reason.validator
    def _reason(self, _attribute, value):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("StageRule needs a reason: the source rule it keeps (e.g. 'village 5 days (L29)')")


def _check_stage_rules(_instance, _attribute, value) -> None:
    if not isinstance(value, dict):
        raise TypeError("MethodInfo.stage_rules must be a dict {stage: StageRule}")
    for stage, rule in value.items():
        if stage not in BINDABLE_STAGES:
            raise ValueError(f"stage_rules: {stage!r} is not a bindable stage ({', '.join(BINDABLE_STAGES)})")
        if not isinstance(rule, StageRule):
            raise TypeError(f"stage_rules[{stage!r}] must be a StageRule, not {type(rule).__name__}")
