"""`python -m codegen add DOC [DOC ...]`: a new api-version in one command.

1. Read each document (`_load`: clear errors, no traceback) and its api-version:
   `info.version`, or `--api-version` for all of them; it must be YYYY-MM-DD (a real
   date), YYYY-MM-DD-preview or v1.
2. Pair the halves. Swagger 2.0 documents are authoring halves, OpenAPI 3 documents
   inference halves (Azure's v1 document is one whole). Documents given together pair
   first: an inference document takes the authoring document of its own api-version,
   else, by the README's rule, the nearest *preview* authoring document given (preview
   inference versions only). An authoring document that pairs with no inference document
   given refreshes the spec versions whose authoring half came from it, else goes into
   its own api-version. An inference version with no authoring document
   given keeps the authoring half spec/ already has for it; a new one takes, by the same
   rule, the authoring half of the spec file whose authoring document it would pair with.
3. Import (`_import.build`: normalise, overlay, consistency), then write spec/ (nothing
   is written unless every document imports).
4. Write a changelog per api-version written, spec/changelog/<version>.md: against the
   newest older version of its channel (stable, preview, v1), else against the file it
   replaces if that differs (a newer v1 document), else as the first of its channel.
5. Generate generated/ (unless told not to).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _import, _overlay
from ._changelog import changelog, previous_in_channel
from ._load import load_document, pointer
from ._normalise import SpecImportError
from ._spec import check_api_version, load_documents

__all__ = ["Added", "add", "write_changelog"]

JSON = Any
CHANGELOG_DIR = "changelog"


@dataclass
class _Document:
    path: Path
    raw: JSON
    version: str

    @property
    def half(self) -> str:
        return _import.half_of(self.raw)


@dataclass
class Added:
    """What `add` did: spec files written, names derived, changelogs by version."""

    written: list[Path] = field(default_factory=list)
    derived: _import.Derived = field(default_factory=list)
    changelogs: dict[str, str] = field(default_factory=dict)


def read(path: Path, api_version: str | None) -> _Document:
    if api_version is not None:
        try:
            check_api_version(api_version)
        except ValueError as exc:
            raise SpecImportError(f"--api-version: {exc}") from None
    raw = load_document(path)
    given = api_version if api_version is not None else raw.get("info", {}).get("version")
    if not isinstance(given, str) or not given:
        raise SpecImportError(
            f"{path} at {pointer('info', 'version')}: missing; pass --api-version YYYY-MM-DD[-preview] or v1"
        )
    try:
        version = check_api_version(given)
    except ValueError as exc:
        raise SpecImportError(
            f"{path} at {pointer('info', 'version')}: {exc}; pass --api-version to import it under another name"
        ) from None
    return _Document(path, raw, version)


def plan(docs: list[_Document], spec: dict[str, JSON]) -> dict[str, dict[str, _Document | str | None]]:
    """{version: {"inference": doc | None, "authoring": doc | None, "base": spec version
    whose file the import starts from | None}} (module docstring, step 2)."""
    halves: dict[str, dict[str, _Document]] = {"inference": {}, "authoring": {}}
    for doc in docs:
        other = halves[doc.half].get(doc.version)
        if other is not None:
            raise SpecImportError(
                f"{other.path} and {doc.path} are both the {doc.half} document of {doc.version}; give one"
            )
        halves[doc.half][doc.version] = doc
    inference, authoring = halves["inference"], halves["authoring"]
    known = {s["info"].get("x-azgate-sources", {}).get("authoring"): v for v, s in spec.items()}
    known.pop(None, None)
    out: dict[str, dict[str, _Document | str | None]] = {}
    used: set[str] = set()
    for version, doc in inference.items():
        paired = _import.pair_authoring(version, sorted(authoring))
        if paired is not None:
            used.add(paired)
            out[version] = {"inference": doc, "authoring": authoring[paired], "base": None}
            continue
        base: str | None = version if version in spec else None
        if base is None:
            from_spec = _import.pair_authoring(version, sorted(str(k) for k in known))
            base = known[from_spec] if from_spec is not None else None
        out[version] = {"inference": doc, "authoring": None, "base": base}
    for version, doc in authoring.items():
        if version in used:
            continue
        # Alone, it refreshes the versions whose authoring half it is, else its own.
        targets = [v for v, s in spec.items() if s["info"].get("x-azgate-sources", {}).get("authoring") == version]
        for target in targets or [version]:
            out.setdefault(target, {"inference": None, "base": target if target in spec else None})
            out[target]["authoring"] = doc
    return out


def add(paths: list[Path], spec_dir: Path, api_version: str | None = None) -> Added:
    """Import `paths` into spec_dir and write their changelogs (module docstring)."""
    docs = [read(path, api_version) for path in paths]
    overlay = _overlay.load(spec_dir / "overlay.yaml")
    before = load_documents(spec_dir) if spec_dir.is_dir() else {}
    result = Added()
    built: dict[str, JSON] = {}
    for version, parts in plan(docs, before).items():
        base = parts["base"]
        doc: JSON = before[base] if isinstance(base, str) else None
        for half in ("inference", "authoring"):
            part = parts[half]
            if isinstance(part, _Document):
                doc = _import.build(part.path, version, doc, overlay, result.derived, raw=part.raw)
        built[version] = doc
    result.written = _import.write_all(built, spec_dir)
    after = load_documents(spec_dir)
    for version in built:
        result.changelogs[version] = write_changelog(spec_dir, version, after, before.get(version))
    return result


def write_changelog(spec_dir: Path, version: str, docs: dict[str, JSON], replaced: JSON | None = None) -> str:
    """Write spec/changelog/<version>.md (module docstring, step 4); returns its text."""
    previous = previous_in_channel(version, list(docs))
    if previous is None and replaced == docs[version]:
        replaced = None  # a re-import that changed nothing: describe the version itself
    text = changelog(docs[previous] if previous is not None else replaced, docs[version])
    folder = spec_dir / CHANGELOG_DIR
    folder.mkdir(exist_ok=True)
    (folder / f"{version}.md").write_text(text, encoding="utf-8")
    return text


def spec_document(spec_dir: Path, version: str) -> JSON:
    """spec/<version>.json, or a clear error listing the versions there are."""
    path = spec_dir / f"{version}.json"
    if not path.exists():
        have = ", ".join(load_documents(spec_dir)) if spec_dir.is_dir() else "none"
        raise SpecImportError(f"{path}: no such api-version in {spec_dir}/ (there are: {have})")
    return json.loads(path.read_text(encoding="utf-8"))
