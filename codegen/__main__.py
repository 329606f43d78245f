"""Command line of the generator: `python -m codegen <command> ...`.

    add DOC [DOC ...]     import published documents, generate, print the changelog
    changelog OLD NEW     what NEW changes against OLD (two api-versions in spec/)
    import DOC            import one document into spec/ (no generation)
    import-all DIR        re-import every published document under DIR
    generate              spec/ -> generated/
    check                 fail when generated/ is not what spec/ produces
    drift                 check, and fail when spec/ is not what the published documents produce

A small dispatcher: each subcommand is one `add_<name>` function that declares its
arguments and sets `func`, the function that runs it and returns the exit status.
Problems with the input (a document, an api-version, the overlay) are `SpecImportError`s:
printed as they are, one line each, exit status 1, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from codegen import _import
from codegen._normalise import SpecImportError

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PUBLISHED = REPO.parent / "shared" / "azure-specs"
"""The published documents next to the project's checkout (../shared/azure-specs)."""


def _print_derived(derived: _import.Derived) -> None:
    if not derived:
        return
    print("SDK names derived from paths (name them in spec/overlay.yaml `operations` to change them):", file=sys.stderr)
    for name in sorted({(method, path, name) for _, method, path, name in derived}):
        print(f"  {name[0]} {name[1]} -> {name[2]}", file=sys.stderr)


# ---- import ------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from codegen._add import read

    document = read(Path(args.path), args.api_version)
    derived: _import.Derived = []
    target = _import.import_document(document.path, document.version, Path(args.spec_dir), derived)
    _print_derived(derived)
    print(f"wrote {target}")
    return 0


def add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="import one published document into spec/<V>.json")
    p.add_argument("path", help="inference OpenAPI 3.x (JSON/YAML), authoring Swagger 2.0, or Azure's v1 document")
    p.add_argument("--api-version", help="the spec file to update (default: the document's info.version)")
    p.add_argument("--spec-dir", default="spec", help="where the spec files live (default: spec)")
    p.set_defaults(func=cmd_import)


def cmd_import_all(args: argparse.Namespace) -> int:
    derived: _import.Derived = []
    for target in _import.import_all(Path(args.dir), Path(args.spec_dir), derived):
        print(f"wrote {target}")
    _print_derived(derived)
    return 0


def add_import_all(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-all", help="import every published document found in DIR")
    p.add_argument("dir", help="folder with inference/<V>/, authoring/<V>/ and v1/ documents")
    p.add_argument("--spec-dir", default="spec", help="where the spec files live (default: spec)")
    p.set_defaults(func=cmd_import_all)


# ---- add and changelog -----------------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    from codegen._add import add

    added = add([Path(p) for p in args.documents], Path(args.spec_dir), args.api_version)
    for path in added.written:
        print(f"wrote {path}", file=sys.stderr)
    _print_derived(added.derived)
    if not args.no_generate:
        from codegen._generate import generate

        generate(Path(args.spec_dir), Path(args.out))
        print(f"wrote {args.out}/", file=sys.stderr)
    for version in added.changelogs:
        print(f"wrote {Path(args.spec_dir) / 'changelog' / version}.md", file=sys.stderr)
    print("\n".join(added.changelogs.values()), end="")
    return 0


def add_add(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("add", help="import documents of a new api-version, generate, print the changelog")
    p.add_argument("documents", nargs="+", metavar="DOC", help="published documents (inference, authoring, v1)")
    p.add_argument("--api-version", help="import every DOC as this version (default: each one's info.version)")
    p.add_argument("--spec-dir", default="spec", help="where the spec files live (default: spec)")
    p.add_argument("--out", default="generated", help="where to generate (default: generated)")
    p.add_argument("--no-generate", action="store_true", help="only import and write the changelog")
    p.set_defaults(func=cmd_add)


def cmd_changelog(args: argparse.Namespace) -> int:
    from codegen._add import spec_document
    from codegen._changelog import changelog

    spec_dir = Path(args.spec_dir)
    print(changelog(spec_document(spec_dir, args.old), spec_document(spec_dir, args.new)), end="")
    return 0


def add_changelog(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("changelog", help="print what NEW changes against OLD (api-versions in spec/)")
    p.add_argument("old", help="an api-version in spec/, e.g. 2024-10-21")
    p.add_argument("new", help="an api-version in spec/, e.g. 2025-04-01-preview")
    p.add_argument("--spec-dir", default="spec")
    p.set_defaults(func=cmd_changelog)


# ---- generate, check, drift ----------------------------------------------------------------


def cmd_generate(args: argparse.Namespace) -> int:
    from codegen._generate import generate

    generate(Path(args.spec_dir), Path(args.out))
    print(f"wrote {args.out}/")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from codegen._generate import check

    return check(Path(args.spec_dir), Path(args.out))


def add_generate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("generate", help="write generated/ from spec/")
    p.add_argument("--spec-dir", default="spec")
    p.add_argument("--out", default="generated")
    p.set_defaults(func=cmd_generate)


def add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="fail with a diff when generated/ is not what spec/ produces")
    p.add_argument("--spec-dir", default="spec")
    p.add_argument("--out", default="generated", help="the generated folder to compare")
    p.set_defaults(func=cmd_check)


def cmd_drift(args: argparse.Namespace) -> int:
    from codegen._drift import published_drift
    from codegen._generate import check

    status = 0 if args.skip_generated else check(Path(args.spec_dir), Path(args.out))
    drift = published_drift(Path(args.spec_dir), args.published)
    for note in drift.notes:
        print(f"note: {note}")
    if drift.problems:
        print(f"\nspec/ is not what the published documents in {args.published} produce:")
        for line in drift.problems:
            print(f"  {line}")
        print(
            "Re-import them (python -m codegen add DOC ...), or, if spec/ was edited by hand, "
            "move the correction into spec/overlay.yaml."
        )
        return 1
    print(f"spec/ matches the published documents in {args.published}.")
    return status


def add_drift(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("drift", help="check generated/ against spec/, and spec/ against the published documents")
    p.add_argument("--spec-dir", default="spec")
    p.add_argument("--out", default="generated", help="the generated folder to compare")
    p.add_argument(
        "--published",
        default=str(DEFAULT_PUBLISHED),
        help="folder or URL of the published documents (default: ../shared/azure-specs)",
    )
    p.add_argument("--skip-generated", action="store_true", help="only compare spec/ with the published documents")
    p.set_defaults(func=cmd_drift)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in (add_add, add_changelog, add_import, add_import_all, add_generate, add_check, add_drift):
        add_command(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SpecImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
