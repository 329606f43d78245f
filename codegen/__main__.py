"""Command line of the generator: `python -m codegen <command> ...`.

A small dispatcher: each subcommand is one `add_<name>` function that declares its
arguments and sets `func`, the function that runs it and returns the exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from codegen import _import
from codegen._normalise import SpecImportError


def cmd_import(args: argparse.Namespace) -> int:
    target = _import.import_document(Path(args.path), args.api_version, Path(args.spec_dir))
    print(f"wrote {target}")
    return 0


def cmd_import_all(args: argparse.Namespace) -> int:
    for target in _import.import_all(Path(args.dir), Path(args.spec_dir)):
        print(f"wrote {target}")
    return 0


def add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="import one published document into spec/<V>.json")
    p.add_argument("path", help="inference OpenAPI 3.x (JSON/YAML) or authoring Swagger 2.0")
    p.add_argument("--api-version", required=True, help="the spec file to update, e.g. 2024-10-21")
    p.add_argument("--spec-dir", default="spec", help="where the spec files live (default: spec)")
    p.set_defaults(func=cmd_import)


def add_import_all(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-all", help="import every inference version found in DIR")
    p.add_argument("dir", help="folder with inference/<V>/ and authoring/<V>/ documents")
    p.add_argument("--spec-dir", default="spec", help="where the spec files live (default: spec)")
    p.set_defaults(func=cmd_import_all)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen")
    sub = parser.add_subparsers(dest="command", required=True)
    add_import(sub)
    add_import_all(sub)
    add_generate(sub)
    add_check(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SpecImportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
