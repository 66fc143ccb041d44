"""Streaming atomic writes and the streamed JSON writer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lushbeat_cli.core.files.atomic import atomic_writer
from lushbeat_cli.render.machine import write_json


def test_atomic_writer_replaces_only_at_the_end(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with atomic_writer(target, overwrite=True) as stream:
        stream.write(b"new ")
        assert target.read_bytes() == b"old"  # readers still see the old file
        stream.write(b"content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_atomic_writer_keeps_the_old_file_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(target, overwrite=True) as stream:
        stream.write(b"half")
        raise RuntimeError("export failed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


records = st.lists(
    st.dictionaries(
        st.text(max_size=5),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(st.text(max_size=3), children, max_size=3)
            ),
            max_leaves=8,
        ),
        max_size=4,
    ),
    max_size=4,
)


@given(records)
def test_streamed_json_has_the_same_bytes_as_one_dump(items: list[dict[str, object]]) -> None:
    stream = io.StringIO()
    write_json(iter(items), stream)
    assert stream.getvalue() == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
