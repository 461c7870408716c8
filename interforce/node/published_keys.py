"""Public keys whose private halves are published with interforce, in `tests/keys`.

Anyone with a copy of this repository can sign as the force a directory gives one of these
keys to, so a node outside development mode refuses a directory that lists any of them.
Written by `python -m tests.keys.regenerate`; a unit test checks it against `tests/keys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PUBLISHED_TEST_KEYS: Final[Mapping[str, str]] = {
    "7B8NgaXsO9jw4sc1JOS_MHJhb5KmkYZC6vzqIRI7mWc": "asp-2024",
    "Xv0P_diNHqKNUzvPdOPEOARLli0jpX-_-9fLX3eWo-E": "beds-2024",
    "uC0ZT1b2lUkmIP-3mX8xv5GYEKlLirZlpQypoEInzK4": "btp-2024",
    "xndbl-XUYPTbUCCWgg8Vou7Ey7Qh6z-Q09QvwRtOTb0": "cambs-2024",
    "7vrMJN_KAFP9oXzdrxfrCsi0aYX2_7j4d1cl5NIL0W4": "ches-2024",
    "heIUDiiSufngdRuAVwytQMxtel5XzYt3LSdVuGwVQbE": "clev-2024",
    "bPfeNyv0et4mnYixU1a8zR4Dz2gKFL4YbBOzmTHdEhE": "colp-2024",
    "DNN5zBQfLEzbCH1G5xuunClYLpD5v0bC9icOAiofAPg": "cumb-2024",
    "zL__Bs5VXIIDayHTu-oWqy-D4NG7nYCQMuQKdBVGcsQ": "dcp-2024",
    "5KxKj_HQt8Sf0BmJg5OPVt7dYuVaVE4gUIZ3nF5knnE": "derbys-2024",
    "MxxC5QpmWvXCJCRCqjHikqvb0EISr7DBwo2VkO2R9xg": "dor-2024",
    "1496ndXBJpWgR5qzzSbU38sg4G0mlEHuodNcsugCRak": "dpp-2024",
    "pDDHq75NLiyFDmWXia7yv8kWuDpQpGepVK9nCkoQPHk": "dur-2024",
    "D-HVAsb3KUY4bEOkOGMxcjliXfr2r3DJ2U1zRmiH3QM": "essex-2024",
    "L2UaCa4pr6T9IvG2WEyqq0iACege2cRepIdytsHRIMY": "glos-2024",
    "FxCzoRBWLCDVcH7-8uoia-yto7QrRlpe6GXiOb3UF0M": "gmp-2023",
    "wmJmbGses2cLQlk4W7-R6aBAtAYId4uNat1sHMCFfEI": "gmp-2024",
    "8VzVL3o91xm_JF8ZxmpNUnWdyybNNnjzvPJIreo0Bm4": "gwent-2024",
    "w4i2FzdnKLedzuDlEn_90UNf9PjoMKJfq2YtjQnw2qs": "herts-2024",
    "ysZv2M3cG3PIBO89SlwekSU2pW2L0YVY5R3ST_oceXQ": "hiow-2024",
    "rqYm1IbvN7mtO4RL3JeE2ZlZHWI96-3mguyShAD2mtM": "humb-2024",
    "owrEWVPV1pS0O0YxIlA8_4zoWQXSyzCiN0-28VusLh8": "kent-2024",
    "k_Y-8WQ96vbcBsC4bjDZWj2vOjJz9GESNGV_nET103w": "lancs-2024",
    "Qc6EfRDWPsfYqVMp7uWjekkI_WNXpZKfnWzaymthbPM": "leics-2024",
    "MQVn4q-MQIWoMrwWGzQwhj9V-G8WdXxFEyqKQLcHTUk": "lincs-2024",
    "rTbOeKy67yFBAWaO72qN8vrR_-x7ySPRAhOKy7J2Jic": "mers-2024",
    "-qLbCRfoSHz_87EysJbMH7A-nByvqEZcrRV1RINm9R0": "mps-2024",
    "oJPW4V7ckGSqPc8Zu9ggXp2aFWz54fOKwyo2ZQbdIXo": "mps-2026",
    "HggHSXJR3aENnTWwHQFkgmF1PG8PvRp1LVH416jd4ZA": "nbria-2024",
    "20ObRfxtCY-KSq5L-i_B8BhTH7iq4nhgmNOHuK1U6ys": "nhants-2024",
    "YEj4KY_wK_EJ20k1xaGelcOZrnhmN4hPGIO8rnE6GyU": "norf-2024",
    "vk9rzQrO-X2Cl_Dk1jITysygnMeDyBywcLd1rwn4pRY": "notts-2024",
    "ygwZRLNw-u3fGkx5TCNq8hn3XaUsBj7rjYGSh87nav8": "nwp-2024",
    "f6W30-zvqWWhlO83MZdOXYGRFlBY0DvXZ7xQ4i1DtrA": "nyp-2024",
    "8xgPcGzE2-qDew7PGbrCP5YooB0rMnwoFQ6ntdAk16I": "staffs-2024",
    "Lb1Vd02b0oFjyn0UeU9j0GbaadGrx_H31lgzmaYmtL0": "suff-2024",
    "7MCxb47izwiu0xrsbWDe2RsjifdoMLpAp-TvtBXA3Lw": "surrey-2024",
    "cRKZLzZ0gjdd__hq3C0UL3i_N9CAXExuBp5QnIT93FI": "sussex-2024",
    "6_RySIn_MPPdH0zyUWd3mEMO1icFmCkXjPt7n7ER75Y": "swp-2024",
    "3KilXZSjUSYeouQdKACGSPv0NxwTMXA8-6xoVHCp6dc": "syp-2024",
    "g7j2v4xEcGV_43gX0uKIZvFpuQtBirpAkwKEm_cWt8I": "tvp-2024",
    "z-eL4rsxcfHzRBy7UBCEYDV4AT2mLDECdaKhDsq8jYg": "warks-2024",
    "gASYpGaDXidY5lIljiQVHB0MSNBp7kHwqSodeIC_A3c": "wilts-2024",
    "71qeR9_7L5jl92HCPJov6_nu3IR441zug5PSD8WomNo": "wmc-2024",
    "vbqNxv-a-3W_jhME5maSPtckJzVymy2UDg2CQPfV1BM": "wmp-2022",
    "QeqowifLM0KdfISVJsRMZSI6WhtMuar6KRd9Gd4tAaw": "wmp-2024",
    "mF9pHic1Mcuv_YZravXjPZY1tVB2PcgLd7M3841Mo_Q": "wyp-2024",
}
