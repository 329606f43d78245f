"""Private parts of the helpers that sit on generated resources (codegen/_mixins.py):
`chat.completions.parse()` / `.stream()`, `responses.parse()` / `.stream()`,
`uploads.upload_file_chunked()`. Their public types live in `azgate.parsing` and
`azgate.streaming`."""
