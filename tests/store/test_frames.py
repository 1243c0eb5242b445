"""Frames as Parquet bytes: every dtype the intake produces comes back equal (store/frames.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from store.frames import decode_frame, encode_frame
from store_rows import PREDIKAT_2011, PREDIKAT_2022, training


FRAMES = {
    "0 rows": training(0),
    "1 row": training(1),
    "2 rows": training(2),
    "all missing": pd.DataFrame({"x": [np.nan, np.nan], "s": pd.Series([None, None], dtype="str"),
                                 "k": pd.Series([None, None], dtype=PREDIKAT_2022)}),
    "unused categories only": pd.DataFrame({"k": pd.Series(["Baik"], dtype=PREDIKAT_2011)}),
    "ns and tz datetimes": pd.DataFrame({
        "ns": pd.to_datetime(["2025-03-12 10:11:12.123456789", None], format="ISO8601").astype("datetime64[ns]"),
        "ms": pd.to_datetime(["2025-03-12", None]).astype("datetime64[ms]"),
        "tz": pd.to_datetime(["2025-03-12 08:00", None]).tz_localize("Asia/Jakarta"),
    }),
    "nullable ints and bools": pd.DataFrame({"i": pd.array([1, None], dtype="Int64"),
                                             "b": pd.array([True, None], dtype="boolean"), "plain": [True, False]}),
    "object strings": pd.DataFrame({"o": pd.Series(["a", "b"], dtype=object)}),
    "index kept": pd.DataFrame({"a": [1.5, 2.5]}, index=pd.Index([10, 20], name="baris")),
}


@pytest.mark.parametrize("label", list(FRAMES))
def test_encode_decode_keeps_every_dtype(label):
    frame = FRAMES[label]
    pd.testing.assert_frame_equal(decode_frame(encode_frame(frame)), frame)


def test_missing_text_in_object_column_stays_missing():
    back = decode_frame(encode_frame(pd.DataFrame({"o": pd.Series(["a", None], dtype=object)})))
    assert back["o"].dtype == object and back["o"].iloc[0] == "a" and pd.isna(back["o"].iloc[1])


def test_rejected_rows_keep_file_headers_and_mixed_values_become_text():
    # rejected rows as written: duplicate and non-text headers, a column mixing numbers and text
    rejected = pd.DataFrame([[1, "Budi", 1.98503122010011e17, ["nip_as_number"]],
                             [2, "Ani", "1985 0312", ["bad_date", "unknown_kecamatan"]]],
                            columns=["NIP", "NIP", 7, "_reasons"])
    back = decode_frame(encode_frame(rejected))
    assert list(back.columns) == ["NIP", "NIP", 7, "_reasons"]
    assert back.iloc[:, 2].tolist() == ["1.98503122010011e+17", "1985 0312"]
    assert [list(r) for r in back["_reasons"]] == [["nip_as_number"], ["bad_date", "unknown_kecamatan"]]
    assert back.iloc[:, 0].tolist() == [1, 2]


def test_encode_refuses_non_frames():
    with pytest.raises(ValueError, match="frame must be a pandas DataFrame, got list"):
        encode_frame([1, 2])


def test_decode_only_some_columns_in_the_order_asked_with_their_dtypes():
    frame = pd.DataFrame({"nip": pd.Series(["198503122010011003", None], dtype="str"),
                          "predikat": pd.Series(["Baik", None], dtype=PREDIKAT_2022),
                          "jp": pd.array([20, None], dtype="Int64"), "nilai": [60.0, 70.5]})
    back = decode_frame(encode_frame(frame), columns=["jp", "predikat", "absent", "jp"])
    # asked: jp, predikat (absent is left out, the repeat read once); each as it was stored
    expected = pd.DataFrame({"jp": pd.array([20, None], dtype="Int64"),
                             "predikat": pd.Series(["Baik", None], dtype=PREDIKAT_2022)})
    pd.testing.assert_frame_equal(back, expected)
    assert decode_frame(encode_frame(frame), columns=[]).shape == (2, 0)


def test_decode_columns_refuses_frames_stored_with_other_labels():
    with pytest.raises(ValueError, match="unique strings"):
        decode_frame(encode_frame(pd.DataFrame([[1, 2]], columns=["NIP", "NIP"])), columns=["NIP"])
