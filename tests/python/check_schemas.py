#!/usr/bin/env python3
"""Holds JSON documents to pkigen's JSON Schemas with an independent validator (jsonschema,
draft 2020-12).

    python check_schemas.py SCHEMA_DIR NAME=DOCUMENT [NAME=DOCUMENT...]

Every `*.schema.json` of SCHEMA_DIR is first checked against the draft 2020-12 meta-schema
and for its "$id", "title" and "description"; any fault there ends the run (exit 2). Then
each DOCUMENT is validated against the schema SCHEMA_DIR/NAME (a file name): a `.jsonl`
document line by line, any other as one JSON document. Schemas refer to each other by
"$id". Prints one harness line per document (or line), engine `jsonschema`, subject the
document's path (`PATH:LINE` for a line), with every error found; exits 0 whether or not
documents conform (the caller judges the errors).
"""

import json
import pathlib
import sys

import jsonschema
import referencing

import harness


def load_schemas(folder):
    schemas = {}
    for path in sorted(pathlib.Path(folder).glob("*.schema.json")):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        for key in ("$id", "title", "description"):
            if not isinstance(schema.get(key), str) or not schema[key]:
                raise SystemExit(f"{path}: no {key}")
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            raise SystemExit(f"{path}: not a draft 2020-12 schema")
        schemas[path.name] = schema
    ids = [s["$id"] for s in schemas.values()]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit(f"{folder}: $id used twice: {sorted(duplicates)}")
    return schemas


def documents(path):
    """(subject, document) for each document of `path`."""
    text = pathlib.Path(path).read_text()
    if not path.endswith(".jsonl"):
        yield path, json.loads(text)
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield f"{path}:{number}", json.loads(line)


def main():
    folder, pairs = sys.argv[1], sys.argv[2:]
    try:
        schemas = load_schemas(folder)
    except jsonschema.SchemaError as e:
        print(f"check_schemas.py: a schema is not valid draft 2020-12: {e.message}", file=sys.stderr)
        sys.exit(2)
    except SystemExit as e:
        print(f"check_schemas.py: {e.code}", file=sys.stderr)
        sys.exit(2)
    registry = referencing.Registry().with_resources(
        (schema["$id"], referencing.Resource.from_contents(schema)) for schema in schemas.values()
    )
    for pair in pairs:
        name, _, path = pair.partition("=")
        if name not in schemas:
            print(f"check_schemas.py: no schema {name} in {folder}", file=sys.stderr)
            sys.exit(2)
        validator = jsonschema.Draft202012Validator(schemas[name], registry=registry)
        for subject, document in documents(path):
            errors = [
                f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
            ]
            harness.emit("jsonschema", subject, harness.schema_check(name, errors))


if __name__ == "__main__":
    main()
