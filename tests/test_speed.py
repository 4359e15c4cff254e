"""The speed tricks: they do what the plain code does, and refuse what they cannot do."""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import InitVar, dataclass, field

import pytest

from migrator.speed import fast_init, without_cycle_collection


@dataclass(frozen=True, slots=True)
class _Plain:
    name: str
    size: int = 1
    seen: list[str] = field(default_factory=list)


@fast_init
@dataclass(frozen=True, slots=True)
class _Fast:
    name: str
    size: int = 1
    seen: list[str] = field(default_factory=list)


@pytest.mark.parametrize(
    ("args", "kwargs"), [(("a",), {}), (("a", 2), {}), ((), {"name": "a", "seen": ["x"]})]
)
def test_fast_init_builds_what_the_dataclass_builds(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    fast, plain = _Fast(*args, **kwargs), _Plain(*args, **kwargs)  # type: ignore[arg-type]
    assert dataclasses.astuple(fast) == dataclasses.astuple(plain)


def test_fast_init_keeps_the_instance_frozen_and_its_defaults_fresh() -> None:
    made = _Fast("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]
    assert made.seen is not _Fast("a").seen
    with pytest.raises(TypeError):
        _Fast()  # type: ignore[call-arg]


def test_fast_init_refuses_a_post_init() -> None:
    with pytest.raises(TypeError, match="__post_init__"):

        @fast_init
        @dataclass(frozen=True, slots=True)
        class Checked:
            value: int

            def __post_init__(self) -> None:
                raise ValueError("checked")


def test_fast_init_refuses_a_field_not_in_init() -> None:
    with pytest.raises(TypeError, match="init=False"):

        @fast_init
        @dataclass(frozen=True, slots=True)
        class Derived:
            value: int
            double: int = field(init=False, default=0)


def test_fast_init_refuses_keyword_only_fields_and_init_vars() -> None:
    with pytest.raises(TypeError, match="keyword-only"):

        @fast_init
        @dataclass(frozen=True, slots=True, kw_only=True)
        class Named:
            value: int

    with pytest.raises(TypeError):

        @fast_init
        @dataclass(frozen=True, slots=True)
        class Given:
            value: int
            hint: InitVar[str] = "x"


@pytest.mark.parametrize("options", [{"frozen": True}, {"slots": True}, {}])
def test_fast_init_refuses_a_class_that_is_not_frozen_and_slotted(
    options: dict[str, bool],
) -> None:
    with pytest.raises(TypeError, match="frozen=True, slots=True"):

        @fast_init
        @dataclass(**options)
        class Loose:
            value: int


def test_fast_init_refuses_a_plain_class() -> None:
    with pytest.raises(TypeError, match="not a dataclass"):
        fast_init(type("NotData", (), {}))


def test_cycle_collection_comes_back_after_the_block() -> None:
    assert gc.isenabled()
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), without_cycle_collection():
        raise RuntimeError("fails inside")
    assert gc.isenabled()
