"""What astronomers' own tools make of the platform's tables (run with Debian's /usr/bin/python3).

  scs URL RA DEC SR VERB AUTH KEY [EXTRA...]  pyvo's SCS client; AUTH is bearer, basic or none;
                                               EXTRA are NAME=VALUE query parameters
  votable FILE STRICTNESS                      astropy's VOTable parser; STRICTNESS strict or scs
  fits FILE                                    astropy.io.fits
  csv FILE                                     astropy's CSV reader
Each prints one JSON line.
"""
import json
import math
import os
import sys
import warnings


def cell(value):
    if hasattr(value, "mask") and bool(value.mask):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def rows_of(table):
    if os.environ.get("VO_SUMMARY") == "1":
        ids = [cell(v) for v in table["id"]] if "id" in table.colnames else []
        return {"count": len(table), "first": ids[0] if ids else None, "last": ids[-1] if ids else None,
                "distinct": len(set(ids))}
    return [{name: cell(row[name]) for name in table.colnames} for row in table]


def scs(url, ra, dec, sr, verb, auth, key, *extra):
    import pyvo
    import requests
    from pyvo.dal.exceptions import DALQueryError, DALServiceError

    session = requests.Session()
    if auth == "bearer":
        session.headers["Authorization"] = f"Bearer {key}"
    elif auth == "basic":
        session.auth = ("topcat-user", key)
    service = pyvo.dal.SCSService(url, session=session)
    keywords = dict(item.split("=", 1) for item in extra)
    try:
        results = service.search(pos=(float(ra), float(dec)), radius=float(sr), verbosity=int(verb), **keywords)
    except DALQueryError as error:
        return {"error": "query", "message": str(error.reason)}
    except DALServiceError as error:
        return {"error": "service", "message": str(error.reason), "status": error.code}
    records = [{"id": cell(r.id), "ra": r.pos.ra.deg, "dec": r.pos.dec.deg} for r in results]
    fields = {f.name: {"ucd": f.ucd, "unit": str(f.unit) if f.unit else None} for f in results.fielddescs}
    return {
        "status": results._status[0],
        "records": records,
        "rows": rows_of(results.to_table()),
        "fields": fields,
        "infos": {name: value for name, value in results._infos.items()},
    }


def votable(path, strictness):
    from astropy.io.votable import parse
    from astropy.io.votable.exceptions import VOWarning

    if strictness == "strict":
        document = parse(path, verify="exception")
        caught = []
    else:
        # SCS 1.03 names its three main columns with UCD1 words (ID_MAIN, POS_EQ_RA_MAIN, POS_EQ_DEC_MAIN),
        # which VOTable 1.2+ vocabulary checks call W06; everything else must parse strictly.
        with warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always", VOWarning)
            document = parse(path, verify="warn")
        caught = [str(w.message) for w in recorded if issubclass(w.category, VOWarning)]
    table = document.get_first_table()
    infos = [(info.name, info.value) for resource in document.resources for info in resource.infos]
    return {
        "version": document.version,
        "warnings": caught,
        "fields": [{"name": f.name, "datatype": f.datatype, "unit": str(f.unit) if f.unit else None, "ucd": f.ucd}
                   for f in table.fields],
        "infos": infos,
        "rows": rows_of(table.to_table()),
    }


def fits(path):
    from astropy.io import fits as pyfits
    from astropy.table import Table

    with pyfits.open(path) as hdul:
        hdul.verify("exception")
        header = hdul[1].header
        columns = [{"name": c.name, "format": c.format, "unit": c.unit} for c in hdul[1].columns]
        extname = header.get("EXTNAME")
    table = Table.read(path, hdu=1)
    # What a user's `t[column] == "QSO"` finds, for each text value of each text column.
    equal = {
        name: {v: int((table[name] == v).sum()) for v in {cell(x) for x in table[name]} - {None}}
        for name in table.colnames
        if table[name].dtype.kind in "SU"
    }
    return {"columns": columns, "extname": extname, "rows": rows_of(table), "equal": equal}


def csv(path):
    from astropy.table import Table

    table = Table.read(path, format="ascii.csv")
    return {"columns": table.colnames, "rows": rows_of(table)}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    result = {"scs": scs, "votable": votable, "fits": fits, "csv": csv}[command](*arguments)
    print(json.dumps(result, default=str))
