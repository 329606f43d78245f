"""httpx's default TLS context, with the CA bundle loaded by the first TLS handshake.

`httpx.Client()` loads certifi's bundle as it is built (about 20 ms and a MiB), though a
client of an http:// endpoint (the emulator, a local proxy) never verifies a certificate.
The pool azgate makes for itself gets this context instead: the same settings as httpx's
default (`ssl.create_default_context` with certifi's bundle, or `SSL_CERT_FILE` /
`SSL_CERT_DIR` when `trust_env`), the bundle loaded when a handshake first needs it.
A `verify=` or `cert=` the caller passes, and an `http_client=` of their own, are used as given.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["DeferredCAContext", "default_verify"]


class DeferredCAContext(ssl.SSLContext):
    """A client context that verifies hostnames and certificates, whose trusted CAs are
    loaded at the first `wrap_socket`/`wrap_bio` (every handshake httpcore makes goes
    through one of them, sync or async, direct or through a proxy)."""

    _cafile: str | None
    _capath: str | None
    _loaded: bool
    _lock: threading.Lock

    def __new__(cls, cafile: str | None = None, capath: str | None = None) -> DeferredCAContext:
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)

    def __init__(self, cafile: str | None = None, capath: str | None = None) -> None:
        # What ssl.create_default_context(Purpose.SERVER_AUTH) sets besides the CAs.
        self.verify_mode = ssl.CERT_REQUIRED
        self.check_hostname = True
        if sys.version_info >= (3, 13):
            self.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
        keylog = os.environ.get("SSLKEYLOGFILE")
        if keylog and not sys.flags.ignore_environment:
            self.keylog_filename = keylog
        self._cafile = cafile
        self._capath = capath
        self._loaded = False
        self._lock = threading.Lock()

    def _load_cas(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                if self._cafile is None and self._capath is None:
                    import certifi  # httpx's default bundle

                    self.load_verify_locations(cafile=certifi.where())
                else:
                    self.load_verify_locations(cafile=self._cafile, capath=self._capath)
                self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_cas()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_cas()
        return super().wrap_bio(*args, **kwargs)

    def get_ca_certs(self, binary_form: bool = False) -> Any:
        self._load_cas()
        return super().get_ca_certs(binary_form)

    def cert_store_stats(self) -> dict[str, int]:
        self._load_cas()
        return super().cert_store_stats()


def default_verify(kwargs: Mapping[str, Any]) -> DeferredCAContext | None:
    """The `verify=` for an httpx client built with `kwargs`: None (httpx's own handling)
    when the caller chose `verify` or `cert`; else httpx's default, deferred."""
    if "verify" in kwargs or "cert" in kwargs:
        return None
    if kwargs.get("trust_env", True):
        if os.environ.get("SSL_CERT_FILE"):
            return DeferredCAContext(cafile=os.environ["SSL_CERT_FILE"])
        if os.environ.get("SSL_CERT_DIR"):
            return DeferredCAContext(capath=os.environ["SSL_CERT_DIR"])
    return DeferredCAContext()
