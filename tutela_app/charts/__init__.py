"""Pure chart builders: aggregated tables in, Plotly figures out (no Reflex, no database)."""
