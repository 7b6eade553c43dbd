"""
Validate HTML with the Nu HTML Checker (vnu.jar from the npm registry, run with Java).

Documents are validated as the server sent them, in one Java run per batch (Java starts slowly).
`make test` fetches the jar and sets VNU_JAR.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path


def vnu_jar():
    path = os.environ.get("VNU_JAR", "")
    if not path or not Path(path).is_file():
        raise RuntimeError("VNU_JAR is not set to vnu.jar; run the tests with `make test`.")
    return path


def validate(documents):
    """documents: {name: html}. Returns a list of 'name: line N: message' for every error."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_text(html, encoding="utf-8")
            paths[str(path)] = name
        result = subprocess.run(  # noqa: S603
            ["java", "-jar", vnu_jar(), "--errors-only", "--format", "json", *paths],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = []
    for message in messages:
        name = paths.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        errors.append(f"{name}: line {message.get('lastLine')}: {message.get('message')}")
    return errors
