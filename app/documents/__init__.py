"""Official documents as PDFs (R-15): the policy's three attached forms and the working papers.

- ``fonts``: which Chinese font the PDFs embed (config, then the usual system places, then
  reportlab's built-in STSong-Light), and the warning the dashboard shows on the fallback;
- ``content``: the table of document kinds (template, record, title) and which records a
  commission has to print; ``forms`` (the three attached forms) and ``papers`` (the working
  papers) gather what each prints from its record;
- ``render``: our Jinja templates (app/templates/documents/) to A4 PDF with xhtml2pdf;
- ``archive``: issuing a document: the file under DOCUMENTS_DIR, SHA-256, versions;
- ``steps``: the lifecycle actions that issue a form (办结, 终止委托) in one transaction.

xhtml2pdf is imported on the first render, not at start-up (it costs ~0.4 s).
"""
