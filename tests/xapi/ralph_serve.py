"""Serve ralph's LRS API with its file-system backend (run by .venv-lrs/bin/python, not the site's Python).

``ralph runserver -b fs`` starts uvicorn with its reloader, and ralph's file-system backend writes each batch in
"create" mode, which refuses a file that exists: only the first POST would be stored. Here the same application
(``ralph.api:app``, configured by the RALPH_* variables) is served without a reloader, its file-system backend
appending each batch to the one file, as an LRS stores statements one batch after another.

    python ralph_serve.py HOST PORT
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning", access_log=False)
