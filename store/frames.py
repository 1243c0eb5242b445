"""Frames as Parquet bytes, the form in which the store keeps a version's rows.

Parquet loads at the speed of ``pd.read_parquet`` and keeps nearly every pandas dtype;
:func:`encode_frame` adds what it does not keep by itself (see there), so that
:func:`decode_frame` gives back a frame equal to the one saved.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

_CODEC = b"evaluasi:frame"


def _json_label(label: Any) -> Any:
    if isinstance(label, tuple):
        return {"t": [_json_label(x) for x in label]}
    if label is None or isinstance(label, (bool, int, float, str)):
        return label
    return str(label)


def _label_back(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return tuple(_label_back(x) for x in value["t"])
    return value


def _as_text(series: pd.Series) -> pd.Series:
    values = [v if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in series.tolist()]
    return pd.Series(values, index=series.index, dtype="str", name=series.name)


def _dtype_note(series: pd.Series) -> dict:
    dtype = series.dtype
    note: dict = {"dtype": str(dtype)}
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories.tolist()
        if all(isinstance(c, (str, bool, int, float)) for c in cats):
            note["categories"] = cats
            note["ordered"] = bool(dtype.ordered)
    return note


def encode_frame(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet bytes that :func:`decode_frame` turns back into an equal frame.

    Beyond what Parquet keeps by itself, this keeps column labels that are not unique strings
    (rejected rows carry the file's own headers), the categories and order of Categoricals even
    when a frame is empty, and ``datetime64[s]`` resolution. Object columns mixing types that
    Arrow cannot hold (a number and a text in one column of rejected rows) are stored as text.

    Examples
    --------
    >>> order = pd.CategoricalDtype(["Kurang", "Baik", "Sangat Baik"], ordered=True)
    >>> df = pd.DataFrame({"nip": ["198503122010011003"], "kinerja": pd.Series(["Baik"], dtype=order),
    ...                    "tanggal": pd.to_datetime(["2025-03-12"]).astype("datetime64[s]")})
    >>> back = decode_frame(encode_frame(df))
    >>> back.equals(df), back["kinerja"].dtype == order, str(back["tanggal"].dtype)
    (True, True, 'datetime64[s]')
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    labels = list(frame.columns)
    renamed = not (all(isinstance(c, str) for c in labels) and len(set(labels)) == len(labels))
    work = frame.copy(deep=False)
    if renamed:
        work.columns = [f"c{i}" for i in range(len(labels))]
    notes = [_dtype_note(work.iloc[:, i]) for i in range(work.shape[1])]
    texted: list[int] = []
    try:
        table = pa.Table.from_pandas(work, preserve_index=None)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        for i in range(work.shape[1]):
            column = work.iloc[:, i]
            if column.dtype == object:
                try:
                    pa.array(column, from_pandas=True)
                except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                    work.isetitem(i, _as_text(column))
                    texted.append(i)
        table = pa.Table.from_pandas(work, preserve_index=None)
    manifest = {
        "v": 1,
        "labels": [_json_label(c) for c in labels] if renamed else None,
        "dtypes": notes,
        "texted": texted,
    }
    schema_meta = dict(table.schema.metadata or {})
    schema_meta[_CODEC] = json.dumps(manifest).encode("utf-8")
    table = table.replace_schema_metadata(schema_meta)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue()


def decode_frame(data: bytes, columns: list[str] | None = None) -> pd.DataFrame:
    """The DataFrame that :func:`encode_frame` stored (see there), or only some of its columns.

    Parameters
    ----------
    data : bytes
        What :func:`encode_frame` returned.
    columns : list of str, optional
        Read only these columns, in this order (Parquet is columnar: the others are not decoded);
        a name the frame does not have is left out. Only for frames whose column labels are unique
        strings (accepted rows); ``None`` reads every column.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    >>> decode_frame(encode_frame(df)).equals(df)
    True
    >>> decode_frame(encode_frame(df), columns=["b", "zz"]).columns.tolist()
    ['b']
    """
    buffer = pa.py_buffer(data)
    schema = pq.read_schema(pa.BufferReader(buffer))
    raw = (schema.metadata or {}).get(_CODEC)
    manifest = json.loads(raw) if raw is not None else {}
    if columns is None:
        frame = pd.read_parquet(pa.BufferReader(buffer))
        positions = list(range(frame.shape[1]))
    else:
        if manifest.get("labels") is not None:
            raise ValueError("columns can only be chosen in a frame whose column labels are unique strings, got a "
                             "frame stored with other labels")
        stored = [name for name in schema.names if name != "__index_level_0__"]
        wanted = [name for name in dict.fromkeys(columns) if name in stored]
        frame = pd.read_parquet(pa.BufferReader(buffer), columns=wanted)
        positions = [stored.index(name) for name in wanted]
    if raw is None:
        return frame
    _restore_dtypes(frame, manifest, positions)
    labels = manifest.get("labels")
    if labels is not None:
        restored = [_label_back(c) for c in labels]
        if restored and all(isinstance(c, tuple) for c in restored):
            frame.columns = pd.MultiIndex.from_tuples(restored)
        else:
            frame.columns = pd.Index(restored, dtype=object)
    return frame


def _restore_dtypes(frame: pd.DataFrame, manifest: dict, positions: list[int]) -> None:
    """Give column ``i`` of ``frame`` (stored at ``positions[i]``) the dtype noted in ``manifest``."""
    texted = set(manifest.get("texted") or [])
    notes = manifest.get("dtypes") or []
    for i, at in enumerate(positions):
        if at in texted or at >= len(notes) or i >= frame.shape[1]:
            continue
        note = notes[at]
        column = frame.iloc[:, i]
        if "categories" in note:
            dtype = pd.CategoricalDtype(note["categories"], ordered=note["ordered"])
            have = column.dtype
            if not (isinstance(have, pd.CategoricalDtype) and have.ordered == dtype.ordered
                    and have.categories.tolist() == note["categories"]):
                frame.isetitem(i, column.astype(dtype))
        elif str(column.dtype) != note["dtype"]:
            try:
                frame.isetitem(i, column.astype(pd.api.types.pandas_dtype(note["dtype"])))
            except (TypeError, ValueError):
                pass
