"""`IdentityEmulator`: the token endpoints azure-identity talks to, on an HTTPS loopback server.

    GET  /{tenant}/v2.0/.well-known/openid-configuration   what MSAL reads before a token request
    POST /{tenant}/oauth2/v2.0/token                        client credentials: client_secret, or
                                                            client_assertion (workload identity)
    GET  /msi/token?api-version=2019-08-01&resource=...     App Service managed identity
                                                            (IDENTITY_ENDPOINT, X-IDENTITY-HEADER)

The server uses a certificate of a throwaway CA (trustme); `ca_bundle` is its PEM file, for
REQUESTS_CA_BUNDLE. It remembers every token it issued, for which audience and until when;
`validate` is the `Emulator(token_validator=...)` hook, so the API accepts only those tokens,
until they expire. `revoke_all()` makes it answer the old tokens with a 401 carrying a CAE
claims challenge (`error="insufficient_claims"`), as Entra-protected resources do.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Mapping
from types import TracebackType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._config import check_host
from ._errors import BAD_TOKEN, AzureError
from ._server import BackgroundServer
from ._token_store import Failure, IssuedToken, TokenRequest, TokenStore

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_FEDERATED_TOKEN",
    "DEFAULT_IDENTITY_HEADER",
    "DEFAULT_TENANT_ID",
    "IdentityEmulator",
    "IssuedToken",
    "TokenRequest",
]

DEFAULT_TENANT_ID = "00000000-0000-0000-0000-00000000e1a0"
DEFAULT_CLIENT_ID = "11111111-1111-1111-1111-11111111c11e"
DEFAULT_CLIENT_SECRET = "emulator-client-secret"
DEFAULT_FEDERATED_TOKEN = "emulator-federated-token"
DEFAULT_IDENTITY_HEADER = "emulator-identity-header"
AUDIENCE = "https://cognitiveservices.azure.com"
# Error answers end their connection: azure-identity's exceptions keep the response (and so
# its pooled connection) alive, and an open connection would outlive the server's stop().
_CLOSE = {"Connection": "close"}


def _aad_error(failure: Failure) -> Response:
    code = failure.description.split(":", 1)[0].removeprefix("AADSTS")
    return JSONResponse(
        {
            "error": failure.error,
            "error_description": f"{failure.description} Trace ID: {secrets.token_hex(8)} (emulator)",
            "error_codes": [int(code)] if code.isdigit() else [],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
        },
        failure.status,
        headers=_CLOSE,
    )


class IdentityEmulator:
    """A local Entra ID and managed-identity endpoint, served over HTTPS from a background thread.

    ```python
    with IdentityEmulator() as idp, Emulator(token_validator=idp.validate) as api:
        os.environ["REQUESTS_CA_BUNDLE"] = idp.ca_bundle
        client = Client(azure_endpoint=api.endpoint, api_version="2024-10-21",
                        azure_auth_mode="entra", azure_authority_host=idp.authority_host,
                        azure_entra_tenant_id=idp.tenant_id, azure_entra_client_id=idp.client_id,
                        azure_entra_client_secret=idp.client_secret)
    ```
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tenant_id: str = DEFAULT_TENANT_ID,
        clients: Mapping[str, str] | None = None,
        federated_token: str = DEFAULT_FEDERATED_TOKEN,
        identity_header: str = DEFAULT_IDENTITY_HEADER,
        expires_in: int = 3600,
        refresh_in: int | None = None,
        log_level: str = "warning",
    ) -> None:
        check_host(host, allow_non_loopback=False)
        self.host = host
        self.tenant_id = tenant_id
        self.clients = dict(clients if clients is not None else {DEFAULT_CLIENT_ID: DEFAULT_CLIENT_SECRET})
        """Client id -> client secret (for client_secret requests)."""
        self.federated_token = federated_token
        self.identity_header = identity_header
        self.expires_in = expires_in
        """Lifetime of the tokens issued from now on, in seconds."""
        self.refresh_in = refresh_in
        """If set, Entra's `refresh_in` hint (seconds) sent with client-credential tokens."""
        self._store = TokenStore()
        self._dir = tempfile.mkdtemp(prefix="azgate-idp-")
        self.ca_bundle, certfile, keyfile = _make_certificates(self._dir, host)
        self.app = Starlette(
            routes=[
                Route("/msi/token", self._managed_identity, methods=["GET"]),
                Route("/{tenant}/v2.0/.well-known/openid-configuration", self._openid, methods=["GET"]),
                Route("/{tenant}/oauth2/v2.0/token", self._token, methods=["POST"]),
            ]
        )
        self._server = BackgroundServer(
            self.app, host, port, log_level=log_level, ssl_certfile=certfile, ssl_keyfile=keyfile
        )

    # -- lifecycle -----------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> IdentityEmulator:
        self._server.start(timeout)
        return self

    def stop(self) -> None:
        self._server.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> IdentityEmulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests use ------------------------------------------------------------

    @property
    def authority_host(self) -> str:
        """E.g. "https://127.0.0.1:54321": `azure_authority_host` / AZURE_AUTHORITY_HOST."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self._server.port}"

    @property
    def identity_endpoint(self) -> str:
        """The App Service IDENTITY_ENDPOINT."""
        return f"{self.authority_host}/msi/token"

    @property
    def client_id(self) -> str:
        return next(iter(self.clients))

    @property
    def client_secret(self) -> str:
        return self.clients[self.client_id]

    def managed_identity_env(self) -> dict[str, str]:
        """Environment variables that make ManagedIdentityCredential use this App Service endpoint."""
        return {"IDENTITY_ENDPOINT": self.identity_endpoint, "IDENTITY_HEADER": self.identity_header}

    def workload_identity_env(self, token_file: str, client_id: str | None = None) -> dict[str, str]:
        """Environment variables of an AKS workload-identity pod; writes the federated token file."""
        with open(token_file, "w", encoding="utf-8") as f:
            f.write(self.federated_token)
        return {
            "AZURE_AUTHORITY_HOST": self.authority_host,
            "AZURE_TENANT_ID": self.tenant_id,
            "AZURE_CLIENT_ID": client_id or self.client_id,
            "AZURE_FEDERATED_TOKEN_FILE": os.fspath(token_file),
        }

    @property
    def requests(self) -> list[TokenRequest]:
        with self._store.lock:
            return list(self._store.requests)

    @property
    def tokens(self) -> dict[str, IssuedToken]:
        """Every token issued (token -> audience, client, expiry), oldest first."""
        with self._store.lock:
            return dict(self._store.tokens)

    @property
    def token_requests(self) -> int:
        """How many token requests arrived (all endpoints, failed ones included)."""
        with self._store.lock:
            return len(self._store.requests)

    def fail(
        self,
        status: int = 400,
        error: str = "invalid_client",
        description: str = "AADSTS7000215: Invalid client secret provided.",
        *,
        times: int | None = None,
    ) -> None:
        """Answer the next `times` token requests (None: all, until `recover()`) with an error."""
        with self._store.lock:
            self._store.failures.append(Failure(status, error, description, times))

    def recover(self) -> None:
        with self._store.lock:
            self._store.failures.clear()

    def revoke_all(self) -> None:
        """Make every token issued so far invalid (the API then sends a claims challenge)."""
        with self._store.lock:
            self._store.revoked.update(self._store.tokens)

    def reset(self) -> None:
        """Forget tokens, requests and failures; restore the default lifetime."""
        self._store.clear()
        self.expires_in, self.refresh_in = 3600, None

    def validate(self, token: str) -> bool:
        """The API's check of a bearer token: issued here, for Azure AI services, not expired.

        A revoked token raises Azure's 401 with a claims challenge instead of returning False.
        """
        state = self._store.check(token, AUDIENCE)
        if state == "revoked":
            claims = json.dumps({"access_token": {"nbf": {"essential": True, "value": str(int(time.time()))}}})
            encoded = base64.b64encode(claims.encode()).decode()
            challenge = (
                f'Bearer realm="", authorization_uri="{self.authority_host}/common/oauth2/authorize", '
                f'error="insufficient_claims", claims="{encoded}"'
            )
            raise AzureError(401, "401", BAD_TOKEN, headers={"WWW-Authenticate": challenge})
        return state == "valid"

    def __repr__(self) -> str:  # never shows a secret
        where = self.authority_host if self._server.running else "stopped"
        return f"IdentityEmulator({where}, tenant={self.tenant_id})"

    # -- the endpoints -------------------------------------------------------------

    def _issue(self, audience: str, client_id: str) -> tuple[str, int]:
        expires_in = self.expires_in
        return self._store.issue(audience, client_id, expires_in), expires_in

    async def _openid(self, request: Request) -> Response:
        tenant = request.path_params["tenant"]
        base = f"{self.authority_host}/{tenant}"
        return JSONResponse(
            {
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                "issuer": f"{base}/v2.0",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
                "tenant_region_scope": None,
            }
        )

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        field_ = {k: v for k, v in form.items() if isinstance(v, str)}
        client_id = field_.get("client_id")
        scope = field_.get("scope", "")
        kind = "client_assertion" if "client_assertion" in field_ else "client_secret"
        audience = scope.split()[0].removesuffix("/.default") if scope.split() else None
        with self._store.lock:
            failure = self._store.take_failure() or self._check_client(request, field_, kind)
            if failure is not None:
                self._store.record(kind, client_id, audience, "claims" in field_, failure.status)
                return _aad_error(failure)
            assert client_id is not None and audience is not None
            token, expires_in = self._issue(audience, client_id)
            self._store.record(kind, client_id, audience, "claims" in field_, 200)
        body: dict[str, object] = {
            "token_type": "Bearer",
            "expires_in": expires_in,
            "ext_expires_in": expires_in,
            "access_token": token,
        }
        if self.refresh_in is not None:
            body["refresh_in"] = self.refresh_in
        return JSONResponse(body)

    def _check_client(self, request: Request, form: Mapping[str, str], kind: str) -> Failure | None:
        if request.path_params["tenant"] not in (self.tenant_id, "organizations"):
            return Failure(
                400, "invalid_request", f"AADSTS90002: Tenant '{request.path_params['tenant']}' not found.", 1
            )
        if form.get("grant_type") != "client_credentials":
            return Failure(
                400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.", 1
            )
        client_id = form.get("client_id")
        if client_id not in self.clients:
            return Failure(400, "unauthorized_client", f"AADSTS700016: Application '{client_id}' was not found.", 1)
        if kind == "client_assertion":
            if form.get("client_assertion") != self.federated_token:
                return Failure(
                    400, "invalid_client",
                    "AADSTS700211: No matching federated identity record found for presented assertion.", 1,
                )  # fmt: skip
        elif form.get("client_secret") != self.clients[client_id]:
            return Failure(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.", 1)
        scopes = form.get("scope", "").split()
        if len(scopes) != 1 or not scopes[0].endswith("/.default"):
            return Failure(
                400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. "
                "Client credential flows must have a scope value with /.default suffixed to the resource identifier.", 1,
            )  # fmt: skip
        return None

    async def _managed_identity(self, request: Request) -> Response:
        query = request.query_params
        resource = query.get("resource")
        client_id = query.get("client_id") or "system-assigned"
        with self._store.lock:
            failure = self._store.take_failure()
            if failure is None and request.headers.get("x-identity-header") != self.identity_header:
                failure = Failure(401, "unauthorized", "X-IDENTITY-HEADER is missing or wrong.", 1)
            if failure is None and (query.get("api-version") != "2019-08-01" or not resource):
                failure = Failure(400, "invalid_request", "api-version=2019-08-01 and resource= are required.", 1)
            if failure is not None:
                self._store.record("managed_identity", client_id, resource, False, failure.status)
                return JSONResponse(
                    {"statusCode": failure.status, "message": failure.description}, failure.status, headers=_CLOSE
                )
            assert resource is not None
            audience = resource.removesuffix("/.default").rstrip("/")
            token, expires_in = self._issue(audience, client_id)
            self._store.record("managed_identity", client_id, audience, False, 200)
        return JSONResponse(
            {
                "access_token": token,
                "expires_on": str(int(time.time()) + expires_in),
                "resource": resource,
                "token_type": "Bearer",
                "client_id": client_id,
            }
        )


def _make_certificates(directory: str, host: str) -> tuple[str, str, str]:
    """(CA bundle, server certificate chain, server key) PEM files of a new test CA."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(host, "localhost", "127.0.0.1")
    paths = tuple(os.path.join(directory, name) for name in ("ca.pem", "server.pem", "server.key"))
    ca.cert_pem.write_to_path(paths[0])
    cert.private_key_and_cert_chain_pem.write_to_path(paths[1])
    cert.private_key_pem.write_to_path(paths[2])
    return paths[0], paths[1], paths[2]
