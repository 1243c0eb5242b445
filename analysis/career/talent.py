"""The talent box (*kotak manajemen talenta*): kinerja × potensial, PermenPANRB 3/2020 as amended.

PermenPANRB 3/2020 tentang Manajemen Talenta ASN, Pasal 17(1) as amended by PermenPANRB 20/2025,
ranks *kinerja* as di atas / sesuai / di bawah ekspektasi and *potensial* as tinggi / menengah /
rendah, and maps employees in a 3 × 3 box. The numbering and the meaning of each box are in
:data:`TALENT_BOXES`, the one table of the product, with where each part comes from
(:data:`TALENT_BOX_SOURCE`) and how sure it is (:data:`TALENT_BOX_CONFIDENCE`):

- the axis categories: the amended Pasal 17(1) (high confidence);
- the numbering (kinerja rows di atas: 4 7 9 / sesuai: 2 5 8 / di bawah: 1 3 6, potensial rendah →
  tinggi from left to right; box 9 = di atas × tinggi): a KemenPANRB official's slides and many
  independent implementations, **not** the regulation's Lampiran itself (medium-high), and which
  axis is vertical is less certain (medium): with the axes swapped, boxes 2/4 and 3/6 trade places;
- the action of each box (*rekomendasi*): copied word for word by many implementations, the
  Lampiran itself not seen (medium).

No national rule maps the PermenPANRB 6/2022 *predikat* onto the kinerja axis:
:data:`KINERJA_AXIS_OF_PREDIKAT` is the product's table, and so are the bands that read an
assessment score 0–100 as a potensial level (:data:`POTENSI_SCORE_BANDS`). An agency must check
all three tables against the regulation's text and its own SIMATA before relying on them
(docs/domain.md §8); each is one edit here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: The kinerja axis, low to high (PermenPANRB 3/2020 Pasal 17(1) as amended by PermenPANRB 20/2025).
KINERJA_LEVELS = ("di_bawah", "sesuai", "di_atas")
#: The potensial axis, low to high (same article).
POTENSI_LEVELS = ("rendah", "menengah", "tinggi")
KINERJA_WORDS = {"di_bawah": ("di bawah ekspektasi", "below expectation"),
                 "sesuai": ("sesuai ekspektasi", "as expected"),
                 "di_atas": ("di atas ekspektasi", "above expectation")}
POTENSI_WORDS = {"rendah": ("rendah", "low"), "menengah": ("menengah", "middle"), "tinggi": ("tinggi", "high")}

#: Where the box numbering and the actions come from.
TALENT_BOX_SOURCE = (
    "PermenPANRB 3/2020 tentang Manajemen Talenta ASN, Lampiran, as amended by PermenPANRB 20/2025 "
    "(Pasal 17(1): the axis categories); numbering as in KemenPANRB's slides 'Transformasi Manajemen Talenta "
    "Berbasis Kinerja' (Asdep Manajemen Talenta) and in independent implementations; the Lampiran itself "
    "was not read")
#: How sure each part is (docs/domain.md §8).
TALENT_BOX_CONFIDENCE = {"axes": "high", "numbering": "medium-high", "orientation": "medium", "actions": "medium"}

#: (kinerja, potensial) → box number, meaning and action, Indonesian and English. Box 9 is di atas
#: ekspektasi × potensial tinggi; the meanings are the regulation's descriptive wording.
TALENT_BOXES: dict[tuple[str, str], dict] = {
    ("di_atas", "tinggi"): {"box": 9, "action_id": "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi "
                            "instansi/nasional; penghargaan",
                            "action_en": "Promote and retain; succession pool (agency/national); recognition"},
    ("sesuai", "tinggi"): {"box": 8, "action_id": "Dipertahankan; masuk kelompok rencana suksesi instansi; "
                           "rotasi/perluasan jabatan; bimbingan kinerja",
                           "action_en": "Retain; agency succession pool; rotation or job enlargement; performance "
                                        "guidance"},
    ("di_atas", "menengah"): {"box": 7, "action_id": "Dipertahankan; masuk kelompok rencana suksesi instansi; "
                              "rotasi/pengayaan jabatan; pengembangan kompetensi; tugas belajar",
                              "action_en": "Retain; agency succession pool; rotation or job enrichment; competency "
                                           "development; study assignment"},
    ("di_bawah", "tinggi"): {"box": 6, "action_id": "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
                             "action_en": "Suitable placement; performance guidance; performance counselling"},
    ("sesuai", "menengah"): {"box": 5, "action_id": "Penempatan yang sesuai; bimbingan kinerja; pengembangan "
                             "kompetensi",
                             "action_en": "Suitable placement; performance guidance; competency development"},
    ("di_atas", "rendah"): {"box": 4, "action_id": "Rotasi; pengembangan kompetensi",
                            "action_en": "Rotation; competency development"},
    ("di_bawah", "menengah"): {"box": 3, "action_id": "Bimbingan kinerja; konseling kinerja; pengembangan "
                               "kompetensi; penempatan yang sesuai",
                               "action_en": "Performance guidance; performance counselling; competency development; "
                                            "suitable placement"},
    ("sesuai", "rendah"): {"box": 2, "action_id": "Bimbingan kinerja; pengembangan kompetensi; penempatan yang "
                           "sesuai",
                           "action_en": "Performance guidance; competency development; suitable placement"},
    ("di_bawah", "rendah"): {"box": 1, "action_id": "Diproses sesuai ketentuan peraturan perundang-undangan",
                             "action_en": "Handled under the applicable regulations"},
}
for (_k, _p), _entry in TALENT_BOXES.items():
    _entry["meaning_id"] = f"Kinerja {KINERJA_WORDS[_k][0]} dan potensial {POTENSI_WORDS[_p][0]}"
    _entry["meaning_en"] = f"Performance {KINERJA_WORDS[_k][1]}, potential {POTENSI_WORDS[_p][1]}"

#: The product's mapping of the PermenPANRB 6/2022 predikat onto the kinerja axis (no national rule:
#: docs/domain.md §8). Sangat Baik needs both ratings above expectation; Baik is at least as expected.
KINERJA_AXIS_OF_PREDIKAT = {
    "Sangat Baik": "di_atas",
    "Baik": "sesuai",
    "Butuh Perbaikan": "di_bawah",
    "Kurang/Misconduct": "di_bawah",
    "Sangat Kurang": "di_bawah",
}
#: An assessment score 0–100 read as a potensial level: at least 80 tinggi, at least 60 menengah,
#: else rendah (the product's bands, as one public implementation uses them; not a regulation).
POTENSI_SCORE_BANDS = ((80.0, "tinggi"), (60.0, "menengah"), (0.0, "rendah"))


def kinerja_axis(predikat) -> pd.Series:
    """The kinerja axis of each predikat (:data:`KINERJA_AXIS_OF_PREDIKAT`); missing where the
    predikat is missing or not a PermenPANRB 6/2022 predikat.

    Examples
    --------
    >>> kinerja_axis(pd.Series(["Sangat Baik", "Baik", "Butuh Perbaikan", None, "Cukup"])).tolist()
    ['di_atas', 'sesuai', 'di_bawah', nan, nan]
    """
    s = pd.Series(predikat)
    return s.astype("object").map(KINERJA_AXIS_OF_PREDIKAT).astype("str")


def potensi_level(values) -> pd.Series:
    """The potensial level of each ``potensi`` cell as the intake keeps it: the words ``rendah``,
    ``menengah``, ``tinggi`` as they are, an assessment score 0–100 by :data:`POTENSI_SCORE_BANDS`.

    Examples
    --------
    >>> potensi_level(pd.Series(["tinggi", "85.0", "60.0", "59.5", None, "?"])).tolist()
    ['tinggi', 'tinggi', 'menengah', 'rendah', nan, nan]
    """
    s = pd.Series(values).astype("object")

    def one(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        text = str(v).strip().lower()
        if text in POTENSI_LEVELS:
            return text
        try:
            score = float(text)
        except ValueError:
            return None
        if not 0 <= score <= 100:
            return None
        return next(level for floor, level in POTENSI_SCORE_BANDS if score >= floor)

    return s.map(one).astype("str")


def talent_box(kinerja, potensi) -> pd.Series:
    """The box number (1–9) of each (kinerja axis, potensial level) pair (:data:`TALENT_BOXES`);
    missing where either is missing.

    Examples
    --------
    >>> talent_box(pd.Series(["di_atas", "di_bawah", "sesuai", None]),
    ...            pd.Series(["tinggi", "rendah", "menengah", "tinggi"])).tolist()
    [9.0, 1.0, 5.0, nan]
    """
    k = pd.Series(kinerja).astype("object").reset_index(drop=True)
    p = pd.Series(potensi).astype("object").reset_index(drop=True)
    boxes = [TALENT_BOXES.get((a, b), {}).get("box") if isinstance(a, str) and isinstance(b, str) else None
             for a, b in zip(k, p)]
    return pd.Series(np.array([np.nan if b is None else float(b) for b in boxes], dtype=float),
                     index=pd.Series(kinerja).index)


def box_table(lang: str = "id") -> pd.DataFrame:
    """The nine boxes as a table (box, kinerja, potensial, meaning, action), box 9 first.

    Examples
    --------
    >>> t = box_table("en")
    >>> t.iloc[0, :3].astype(str).tolist(), len(t)
    (['9', 'above expectation', 'high'], 9)
    """
    i = 1 if lang == "en" else 0
    rows = [{"box": v["box"], "kinerja": KINERJA_WORDS[k][i], "potensial": POTENSI_WORDS[p][i],
             "meaning": v["meaning_en" if lang == "en" else "meaning_id"],
             "action": v["action_en" if lang == "en" else "action_id"]}
            for (k, p), v in TALENT_BOXES.items()]
    return pd.DataFrame(rows).sort_values("box", ascending=False, kind="stable").reset_index(drop=True)


def place(staff: pd.DataFrame) -> pd.DataFrame:
    """Each employee's kinerja axis, potensial level and box, from ``predikat`` and ``potensi``.

    Examples
    --------
    >>> staff = pd.DataFrame({"nip": ["1", "2"], "predikat": ["Sangat Baik", "Baik"], "potensi": ["82", None]})
    >>> place(staff)[["nip", "kinerja_axis", "potensi_level", "talent_box"]].values.tolist()
    [['1', 'di_atas', 'tinggi', 9.0], ['2', 'sesuai', nan, nan]]
    """
    out = staff.copy()
    out["kinerja_axis"] = kinerja_axis(staff["predikat"]).to_numpy() if "predikat" in staff else None
    out["potensi_level"] = potensi_level(staff["potensi"]).to_numpy() if "potensi" in staff else None
    out["kinerja_axis"] = out["kinerja_axis"].astype("str")
    out["potensi_level"] = out["potensi_level"].astype("str")
    out["talent_box"] = talent_box(out["kinerja_axis"], out["potensi_level"]).to_numpy()
    return out


def box_counts(placed: pd.DataFrame, by: str = "unit_kerja") -> dict:
    """How many employees each box holds per ``by`` (a unit kerja or kecamatan), and whether
    potensial was supplied at all.

    Returns
    -------
    dict
        ``available`` (False when no employee has a potensial level: the box cannot be drawn),
        ``placed`` (employees in a box), ``without_potensi``, ``without_kinerja`` (no predikat on the
        axis), and ``table``: one row per value of ``by`` with columns ``box_1`` … ``box_9`` and
        ``total``.

    Examples
    --------
    >>> staff = place(pd.DataFrame({"nip": ["1", "2", "3"], "unit_kerja": ["A", "A", "B"],
    ...     "predikat": ["Sangat Baik", "Baik", "Baik"], "potensi": ["tinggi", "tinggi", None]}))
    >>> c = box_counts(staff)
    >>> c["available"], c["placed"], c["without_potensi"]
    (True, 2, 1)
    >>> c["table"][["unit_kerja", "box_8", "box_9", "total"]].values.tolist()
    [['A', 1, 1, 2]]
    """
    has_potensi = placed["potensi_level"].notna()
    boxed = placed[placed["talent_box"].notna()]
    columns = [f"box_{b}" for b in range(1, 10)]
    out = {"available": bool(has_potensi.any()), "placed": int(len(boxed)),
           "without_potensi": int((~has_potensi).sum()),
           "without_kinerja": int((has_potensi & placed["kinerja_axis"].isna()).sum())}
    if boxed.empty:
        out["table"] = pd.DataFrame(columns=[by, *columns, "total"])
        return out
    table = pd.crosstab(boxed[by].fillna("–"), boxed["talent_box"].astype(int))
    table = table.reindex(columns=range(1, 10), fill_value=0)
    table.columns = columns
    table["total"] = table.sum(axis=1)
    out["table"] = table.reset_index().rename(columns={"index": by}).astype({c: "int64" for c in [*columns, "total"]})
    out["table"].columns.name = None
    return out
