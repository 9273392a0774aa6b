"""The little dockgen needs to read from a Dockerfile: stages, the final base image, install steps."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from dockgen._knowledge import install_pattern

__all__ = ["DEPENDENCY_INSTALLS", "Dockerfile", "is_dependency_install", "syntax_problem"]

#: Commands that install dependencies from manifests and lockfiles (the layer that should cache):
#: every package manager's `detect` words (`template/_data/package_managers.yml`).
DEPENDENCY_INSTALLS = install_pattern()
_BUILDKIT_ONLY = re.compile(
    r"^\s*(RUN|COPY|ADD)\s+.*(--mount=|--link\b|--chmod=|<<)", re.MULTILINE | re.IGNORECASE
)


#: Installs of the workspace's own packages from the source (a uv workspace member's second
#: `uv sync`): they follow `COPY . .`, so a source change reruns them by design.
_SOURCE_INSTALLS = re.compile(r"\buv sync\b.*--no-install-project --no-editable")


def is_dependency_install(command: str) -> bool:
    """Whether a RUN command installs the app's dependencies (from manifests and lockfiles)."""
    return bool(DEPENDENCY_INSTALLS.search(command)) and not _SOURCE_INSTALLS.search(command)


_INSTRUCTIONS = frozenset(
    {
        *("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK"),
        *("LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"),
    }
)
#: Instructions whose arguments may be a JSON array (exec form); BuildKit silently takes an
#: invalid array as shell form, so a generated one must be valid JSON.
_JSON_FORMS = frozenset({"ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"})


def syntax_problem(text: str) -> str | None:
    """Why `text` is not a well-formed Dockerfile ("line 12: ..."), or None.

    The last check before dockgen writes a rendered Dockerfile: an answer that smuggled a line
    break or a quote into it must fail here rather than be written. It checks what BuildKit's
    parser checks (every logical line starts with an instruction, no dangling continuation, the
    first instruction after ARGs is FROM) and that exec-form arrays are JSON arrays of strings.
    """
    start, pending, seen_from = 0, "", False
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not pending:
            start = number
            if not line or line.startswith("#"):
                continue
        elif not line or line.startswith("#"):
            continue  # comments and blank lines inside a continuation
        if line.endswith("\\"):
            pending += line[:-1] + " "
            if number == len(lines):
                return f"line {start}: the file ends inside a continued line"
            continue
        logical, pending = (pending + line).strip(), ""
        word, _, rest = logical.partition(" ")
        keyword = word.upper()
        if keyword not in _INSTRUCTIONS:
            return f"line {start}: {word[:40]!r} is not a Dockerfile instruction"
        if keyword == "FROM":
            seen_from = True
        elif keyword != "ARG" and not seen_from:
            return f"line {start}: {keyword} before the first FROM"
        args = rest.strip()
        if keyword == "HEALTHCHECK":
            args = args.split(" CMD ", 1)[1].strip() if " CMD " in f" {args} " else args
        while keyword in ("RUN", "COPY", "ADD") and args.startswith("--"):
            args = args.partition(" ")[2].strip()  # flags: --mount=..., --from=..., --chown=...
        if keyword in _JSON_FORMS | {"HEALTHCHECK"} and args.startswith("["):
            try:
                array = json.loads(args)
            except ValueError:
                return f"line {start}: {keyword}'s exec form is not a valid JSON array"
            if not isinstance(array, list) or not all(isinstance(a, str) for a in array):
                return f"line {start}: {keyword}'s exec form is not an array of strings"
    if pending:
        return f"line {start}: the file ends inside a continued line"
    if not seen_from:
        return "no FROM instruction"
    return None


@dataclass(frozen=True, slots=True)
class Dockerfile:
    """Instructions of a Dockerfile as (keyword, arguments), continuation lines joined."""

    instructions: tuple[tuple[str, str], ...]
    text: str

    @classmethod
    def parse(cls, text: str) -> Dockerfile:
        """Parse `text`: comments dropped, continuation lines joined."""
        result: list[tuple[str, str]] = []
        pending = ""
        for raw in text.splitlines():
            line = raw.strip()
            if not pending and (not line or line.startswith("#")):
                continue
            if pending and line.startswith("#"):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            full = (pending + line).strip()
            pending = ""
            if full:
                keyword, _, rest = full.partition(" ")
                result.append((keyword.upper(), rest.strip()))
        return cls(tuple(result), text)

    def base_image(self) -> str | None:
        """The image the final stage is built on, through stage aliases and ARG defaults."""
        args: dict[str, str] = {}
        stages: dict[str, str] = {}
        last: str | None = None
        seen_from = False
        for keyword, rest in self.instructions:
            if keyword == "ARG" and not seen_from:
                name, _, default = rest.partition("=")
                args[name.strip()] = default.strip().strip('"')
            elif keyword == "FROM":
                seen_from = True
                words = [w for w in rest.split() if not w.startswith("--")]
                image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m[1], m[0]), words[0]) if words else ""
                image = stages.get(image.lower(), image)
                if len(words) >= 3 and words[1].upper() == "AS":
                    stages[words[2].lower()] = image
                last = image
        return last

    def buildkit_only(self) -> bool:
        """Whether the file uses syntax the classic builder rejects (RUN --mount, heredocs...)."""
        return bool(_BUILDKIT_ONLY.search(self.text))
