"""Spreadsheet imports, one kit for every upload (rosters, campaign targets).

* ``reading``: an uploaded .xlsx or .csv as rows of text, under one policy against files that are
  too large, unpack to too much, span too many cells or rows (``Limits``; settings in
  ``learning/settings/base.py``).
* ``vocabulary``: communes and target groups as people write them (``Communes``, ``group_keys``).
* ``export``: spreadsheet files whose cells cannot start a formula (``spreadsheet_safe``,
  ``write_csv``, ``write_xlsx``).

Import from the modules; this package holds no models and is not an app.
"""
