"""The operation table's rows, a module per resource (see `.._operations`)."""
