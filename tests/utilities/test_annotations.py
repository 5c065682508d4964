"""headwater.utilities.annotations: the wrapper objects (the engine's handling of them is
tested with the engine)."""

import pytest

from headwater import unmapped as top_level_unmapped
from headwater.utilities.annotations import NotSet, allow_failure, freeze, opaque, quote, unmapped, unwrap_annotation


@pytest.mark.parametrize("wrapper", [allow_failure, quote, opaque])
def test_wrappers_hold_one_value(wrapper):
    wrapped = wrapper({"a": 1})
    (inner,) = wrapped
    assert inner == wrapped.value == wrapped.unwrap() == {"a": 1}
    assert wrapped == wrapper({"a": 1}) and wrapped != ({"a": 1},) and wrapped != quote(1)
    assert repr(wrapped) == f"{wrapper.__name__}({{'a': 1}})"
    assert type(wrapped.rewrap(2)) is wrapper
    assert unwrap_annotation(wrapped) == {"a": 1}


def test_unmapped_is_the_engines():
    assert unmapped is top_level_unmapped
    assert unwrap_annotation(unmapped(3)) == 3 and unwrap_annotation(4) == 4


def test_freeze_needs_json_and_notset_is_a_marker():
    assert freeze([1]).unfreeze() == [1]
    with pytest.raises(ValueError, match="JSON"):
        freeze({1, 2})
    assert NotSet is not None and isinstance(NotSet, type)


def test_quote_keeps_its_old_name_with_a_warning():
    from headwater.utilities.annotations import Quote

    with pytest.warns(DeprecationWarning, match="quote"):
        wrapped = Quote(1)
    assert isinstance(wrapped, quote) and wrapped.unquote() == 1
