"""Document workflows as data: a status enum plus the set of allowed moves (STYLE.md, 3)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import N_, Term, TransitionNotAllowed


@dataclass(frozen=True)
class Workflow:
    document: str  # msgid naming the document, e.g. N_("quotation")
    moves: frozenset[tuple[StrEnum, StrEnum]]

    @classmethod
    def of(cls, document: str, moves: Iterable[tuple[StrEnum, StrEnum]]) -> Workflow:
        return cls(Term(document), frozenset(moves))

    def allows(self, current: StrEnum, target: StrEnum) -> bool:
        return (current, target) in self.moves

    def check(self, number: str, current: StrEnum, target: StrEnum) -> None:
        if not self.allows(current, target):
            raise TransitionNotAllowed(
                N_("{document} {number} is {status} and cannot become {target}."),
                document=self.document, number=number, status=current, target=target)
