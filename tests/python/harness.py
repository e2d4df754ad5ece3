"""The one line format every harness here prints (tests/schemas/harness-result.schema.json): one
JSON object a line, {"engine", "subject", "result"}, where `result` is one of the kinds
below. The Rust tests read the lines into one type (tests/it/harness.rs)."""

import json


def emit(engine, subject, result):
    """Prints one line: `engine` answered `result` about `subject`."""
    print(json.dumps({"engine": engine, "subject": subject, "result": result}), flush=True)


def case_id(scenario, case):
    """The subject of a fixture case."""
    return f"{scenario}/{case}"


def observed(outcome, reason, message):
    """What the engine did with a fixture case: accept, reject or config-error, the reason
    in pkigen's vocabulary (None when the engine's words name none) and its words."""
    return {"kind": "observed", "outcome": outcome, "reason": reason, "message": message}


def skipped(why):
    """A case the engine cannot run."""
    return {"kind": "skipped", "why": why}


def harness_error(message):
    """The harness could not run the case at all."""
    return {"kind": "harness-error", "message": message}


def policy(tls, verify_certificates, verify_hostname, ocsp_endpoint_check, warnings):
    """MongoClient accepted the options."""
    return {
        "kind": "policy",
        "tls": tls,
        "verify_certificates": verify_certificates,
        "verify_hostname": verify_hostname,
        "ocsp_endpoint_check": ocsp_endpoint_check,
        "warnings": warnings,
    }


def policy_error(exception, message, warnings):
    """MongoClient raised `exception` (its class name) with `message` (str(exc))."""
    return {"kind": "policy-error", "exception": exception, "message": message, "warnings": warnings}


def schema_check(schema, errors):
    """A document held to `schema` (a file name under tests/schemas/), with every error found."""
    return {"kind": "schema-check", "schema": schema, "errors": errors}
