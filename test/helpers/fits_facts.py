"""Facts about FITS files as astropy reads them, for comparison with our reader.

Usage: fits_facts.py FILE... -> JSON {file: [{name, kind, shape, header:{...}, sample}]}
"""
import json
import sys

import numpy as np
from astropy.io import fits

KEYS = ["OBSID", "CLASS", "SUBCLASS", "Z", "RA", "DEC", "PLANID", "LMJD", "SPID", "FIBERID", "DESIG", "COEFF0", "COEFF1", "EXTEN0"]


def sample(values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    picks = sorted(i for i in {0, 1, len(flat) // 3, len(flat) // 2, len(flat) - 1} if 0 <= i < len(flat))
    return [[int(i), None if not np.isfinite(flat[i]) else float(flat[i])] for i in picks]


facts = {}
for path in sys.argv[1:]:
    hdus = []
    with fits.open(path) as hdul:
        for hdu in hdul:
            entry = {"name": hdu.name, "header": {k: (hdu.header[k] if not isinstance(hdu.header[k], bool) else hdu.header[k]) for k in KEYS if k in hdu.header}}
            if isinstance(hdu, fits.BinTableHDU):
                entry["kind"] = "bintable"
                entry["rows"] = len(hdu.data)
                entry["columns"] = {}
                for column in hdu.columns.names[:12]:
                    data = hdu.data[column]
                    if data.dtype.kind in "SU":
                        entry["columns"][column] = [str(v).strip() for v in data[:3]]
                    elif data.dtype.kind == "O":
                        entry["columns"][column] = sample(data[0])
                    else:
                        entry["columns"][column] = sample(data[0] if data.ndim > 1 else data)
            else:
                entry["kind"] = "image"
                entry["shape"] = list(hdu.data.shape[::-1]) if hdu.data is not None else []
                entry["sample"] = sample(hdu.data) if hdu.data is not None else []
            hdus.append(entry)
    facts[path] = hdus
print(json.dumps(facts, default=str))
