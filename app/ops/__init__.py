"""Operations: what running the system in production needs beside the screens.

One module each:
- ``logs``: structured logs (JSON lines with LOG_FORMAT=json, plain text otherwise) and a
  request id per request (``X-Request-ID`` honoured and echoed);
- ``health``: the database check behind ``/health`` (app/views/health.py serves it);
- ``database``: what backup and restore need to know about a database URL (the SQLite file,
  libpq's environment for pg_dump/pg_restore, emptiness, row counts and checksums per table);
- ``manifest``: the backup folder's manifest (versions, Alembic revisions, every file with
  its SHA-256) and the archived-file directories (DOCUMENTS_DIR, MATERIALS_DIR);
- ``backup`` / ``restore``: ``flask backup DEST_DIR`` and ``flask restore BACKUP_DIR``;
- ``commands``: the click commands over them.
"""
