"""The runtime's core: settings, URLs, the operation spec, clients, retries, streams, pages."""
