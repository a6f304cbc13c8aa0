"""The manifests guard reads: one module per file kind; `common` holds what they share."""
