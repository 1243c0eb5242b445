"""NIP and names masked for a viewer (store/privacy.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from store.auth import User
from store.privacy import for_role, mask_frame, mask_name, mask_nip, personal_columns


@pytest.mark.parametrize(
    "nip, masked",
    [
        ("198503122010011003", "198503********1003"),
        ("19850312 201001 1 003", "198503********1003"),
        ("1985.0312.2010.01.1.003", "198503********1003"),
        ("1234567890123456", "12345*******3456"),
        ("12345", "1***5"),
        ("12", "**"),
        ("1", "*"),
        ("", ""),
        (198503122010011003, "198503********1003"),
    ],
)
def test_mask_nip(nip, masked):
    assert mask_nip(nip) == masked
    assert len(masked) == len(str(nip).replace(" ", "").replace(".", ""))


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_mask_keeps_missing(missing):
    assert mask_nip(missing) is missing and mask_name(missing) is missing


def test_mask_frame_for_viewers_only():
    frame = pd.DataFrame({
        "nip": pd.Series(["198503122010011003", None, "198503122010011003"], dtype="str"),
        "mentor_nip": pd.Series(["199001012015032001", "199001012015032001", None], dtype="str"),
        "nama": pd.Series(["Budi Santoso", "<img src=x onerror=alert(1)>", None], dtype="str"),
        "nilai_post": [80.0, np.nan, 70.0],
    })
    before = frame.copy()
    masked = for_role(frame, "viewer")
    pd.testing.assert_frame_equal(frame, before)  # the input is not touched
    assert masked["nip"].tolist()[0] == "198503********1003" and pd.isna(masked["nip"].iloc[1])
    assert masked["mentor_nip"].iloc[0] == "199001********2001"
    assert masked["nama"].tolist()[:2] == ["B*** S***", "<*** s*** o***"]
    assert masked["nip"].dtype == frame["nip"].dtype
    pd.testing.assert_series_equal(masked["nilai_post"], frame["nilai_post"])
    assert for_role(frame, User("x", "analyst")) is frame and for_role(frame, "admin") is frame
    assert for_role(frame, None)["nip"].iloc[0] == "198503********1003"  # nobody: masked too


def test_mask_frame_finds_file_headers_of_rejected_rows():
    rejected = pd.DataFrame({"No": [1], "NIP Baru": [1.98503122010011e17], "Nama Pegawai": ["Budi"],
                             "Unit": ["Dinas"], "_reasons": ["nip_as_number"]})
    assert personal_columns(rejected) == (["NIP Baru"], ["Nama Pegawai"])
    masked = mask_frame(rejected)
    assert masked["Nama Pegawai"].iloc[0] == "B***" and "2010011" not in masked["NIP Baru"].iloc[0]
    assert masked["Unit"].iloc[0] == "Dinas"


@pytest.mark.parametrize(
    "header, kind",
    [("nip", "nip"), ("NIP", "nip"), ("NIP Mentor", "nip"), ("mentee_nip", "nip"), ("Nomor Induk Pegawai", "nip"),
     ("nama", "name"), ("Nama Pegawai", "name"), ("NAMA", "name"), ("nama_mentor", "name"), ("Name", "name"),
     ("Nama Pelatihan", None), ("Nama Unit Layanan", None), ("Nipah", None), ("Unit Kerja", None), (7, None)],
)
def test_personal_columns(header, kind):
    nips, names = personal_columns(pd.DataFrame(columns=[header]))
    assert (nips, names) == ([header] if kind == "nip" else [], [header] if kind == "name" else [])


def test_mask_frame_refuses_non_frames():
    with pytest.raises(ValueError, match="frame must be a pandas DataFrame, got dict"):
        mask_frame({"nip": ["1"]})
