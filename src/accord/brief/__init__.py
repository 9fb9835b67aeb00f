"""The briefing: one self-contained HTML file on a framework at a date, every fact linked
to its source passage (see :func:`build_brief` and :func:`render_brief`)."""
