"""`azgate doctor` finds what is wrong with the settings, by real calls to the emulator
(and to an HTTPS server whose certificate nobody trusts)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from azgate.testing import Emulator, IdentityEmulator
from cli_support import assert_exit, azgate

pytestmark = pytest.mark.usefixtures("azure_env")


def checks(*args: str) -> tuple[int, dict[str, dict[str, object]], dict[str, object]]:
    """(exit code, check name -> check, the whole report) of `azgate doctor ARGS --json`."""
    result = azgate("doctor", "--json", *args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(result.output) from result.exception
    report = json.loads(result.stdout)
    return result.exit_code, {c["name"]: c for c in report["checks"]}, report


def test_all_good_passes_and_names_the_auth_without_the_key(emulator: Emulator) -> None:
    result = azgate("doctor", "-d", "gpt-4")
    assert_exit(result, 0)
    assert "api key (AZURE_OPENAI_API_KEY; not shown)" in result.stdout
    assert f"{emulator.endpoint}/openai (from AZURE_OPENAI_ENDPOINT)" in result.stdout
    assert "'gpt-4' answers chat completions" in result.stdout and "all checks passed" in result.stdout
    assert emulator.api_key not in result.output


def test_json_report() -> None:
    code, found, report = checks("-d", "gpt-4")
    assert code == 0 and report["ok"] is True
    assert report["api_version"] == "2024-10-21" and report["deployment"] == "gpt-4"
    assert [name for name in found] == ["settings", "api-version", "endpoint", "deployment"]
    assert all(c["status"] == "ok" for c in found.values())


def test_finds_a_wrong_key() -> None:
    secret = "wrong-key-9d1e07"
    code, found, report = checks("-d", "gpt-4", "--api-key", secret)
    assert code == 4
    assert found["endpoint"]["status"] == "failed" and "the key was refused" in str(found["endpoint"]["detail"])
    assert found["deployment"]["status"] == "skipped"
    assert report["auth"] == "api key (--api-key; not shown)"
    assert secret not in json.dumps(report)


def test_finds_a_wrong_deployment() -> None:
    code, found, _ = checks("-d", "gtp-4o")
    assert code == 1
    assert found["endpoint"]["status"] == "ok"
    assert found["deployment"]["status"] == "failed"
    assert found["deployment"]["detail"] == "no deployment named 'gtp-4o' on this resource (DeploymentNotFound)"


def test_finds_an_unreachable_endpoint() -> None:
    code, found, _ = checks("--endpoint", "http://127.0.0.1:1", "-d", "gpt-4")
    assert code == 3
    assert "nothing listens at http://127.0.0.1:1" in str(found["endpoint"]["detail"])
    assert found["deployment"]["status"] == "skipped"


def test_finds_an_api_version_the_service_does_not_serve() -> None:
    code, found, _ = checks("--api-version", "2099-01-01", "-d", "gpt-4")
    assert code == 1
    assert found["api-version"]["status"] == "warning"  # azgate does not know it either
    assert "does not serve this api-version" in str(found["endpoint"]["detail"])
    assert found["deployment"]["status"] == "skipped"


@pytest.fixture(scope="module")
def untrusted_https() -> Iterator[str]:
    """An HTTPS server whose certificate comes from a throwaway CA nobody trusts."""
    with IdentityEmulator() as server:
        yield server.authority_host


def test_finds_an_untrusted_certificate(untrusted_https: str) -> None:
    code, found, _ = checks("--endpoint", untrusted_https)
    assert code == 3
    detail = str(found["endpoint"]["detail"])
    assert detail.startswith(f"TLS: the certificate of {untrusted_https} is not trusted")


def test_finds_plain_http_spoken_to_tls(emulator: Emulator) -> None:
    code, found, _ = checks("--endpoint", emulator.endpoint.replace("http://", "https://"))
    assert code == 3
    assert "TLS handshake" in str(found["endpoint"]["detail"]) and "plain http" in str(found["endpoint"]["detail"])


def test_a_missing_setting_fails_the_settings_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_OPENAI_ENDPOINT")
    code, found, _ = checks()
    assert code == 2
    assert found["settings"]["status"] == "failed"
    assert "--resource-name" in str(found["settings"]["detail"]) or "--azure-endpoint" in str(
        found["settings"]["detail"]
    )


def test_without_a_deployment_it_says_what_it_skipped() -> None:
    code, found, _ = checks()
    assert code == 0
    assert found["deployment"]["status"] == "skipped" and "--deployment" in str(found["deployment"]["detail"])


def test_an_embeddings_deployment_is_recognised() -> None:
    code, found, _ = checks("-d", "text-embedding-ada-002")
    assert code == 0
    assert "answers embeddings" in str(found["deployment"]["detail"])


def test_the_human_report_marks_the_failed_check() -> None:
    result = azgate("doctor", "-d", "gtp-4o")
    assert_exit(result, 1)
    assert "✗ deployment: no deployment named 'gtp-4o'" in result.stdout
    assert "deployment check failed" in result.stdout


# -- a service principal against the local Entra ID ----------------------------------------


@pytest.fixture
def entra_api(emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[IdentityEmulator]:
    with IdentityEmulator() as idp:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", idp.ca_bundle)  # azure-identity trusts the test CA
        monkeypatch.delenv("AZURE_OPENAI_API_KEY")
        previous, emulator.token_validator = emulator.token_validator, idp.validate
        try:
            yield idp
        finally:
            emulator.token_validator = previous


def entra_flags(idp: IdentityEmulator) -> list[str]:
    return [
        "--azure-auth-mode", "entra",
        "--azure-authority-host", idp.authority_host,
        "--azure-entra-tenant-id", idp.tenant_id,
        "--azure-entra-client-id", idp.client_id,
    ]  # fmt: skip


def test_a_service_principal_is_named_and_works(entra_api: IdentityEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_CLIENT_SECRET", entra_api.client_secret)  # not on the command line
    code, found, report = checks(*entra_flags(entra_api), "-d", "gpt-4")
    assert code == 0, found
    assert report["auth"] == (
        f"Microsoft Entra service principal (tenant {entra_api.tenant_id}, client {entra_api.client_id}; "
        "secret not shown)"
    )
    assert entra_api.client_secret not in json.dumps(report)
    assert entra_api.token_requests == 1


def test_a_wrong_client_secret_is_an_auth_failure(entra_api: IdentityEmulator) -> None:
    code, found, report = checks(*entra_flags(entra_api), "--azure-entra-client-secret", "not-the-secret")
    assert code == 4
    assert "could not get a token from ClientSecretCredential" in str(found["endpoint"]["detail"])
    assert "not-the-secret" not in json.dumps(report)
