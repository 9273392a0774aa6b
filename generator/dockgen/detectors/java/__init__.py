"""Java detector: Maven (pom.xml) and Gradle (build.gradle[.kts]) applications."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dockgen._project import Project
from dockgen.detectors._base import Detection, Ecosystem, no_base_drift
from dockgen.detectors._health import HEALTH_ROUTE, NO_HEALTH_ROUTE, pick_health_path
from dockgen.detectors.java._build import JavaBuild, read_build
from dockgen.detectors.java._config import configured_port

__all__ = ["ECOSYSTEM", "LABEL", "NAME", "base_drift", "detect", "plan", "tooling_only"]

NAME = "java"
LABEL = "Java"
ECOSYSTEM = Ecosystem(markers=("pom.xml", "build.gradle"), manifest="pom.xml")
_GRADLE = ("build.gradle.kts", "build.gradle")
_ROUTE = re.compile(rf'@(?:Get|Request)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?"/({HEALTH_ROUTE})"')
#: Spring Boot's launcher class in the layers `-Djarmode=tools extract --launcher` writes (3.2+).
JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher"


def detect(project: Project) -> bool:
    """A Java app has a pom.xml or a Gradle build script at its root."""
    return project.first("pom.xml", *_GRADLE) is not None


def _tool(project: Project, chosen: Any) -> tuple[str, str | None]:
    """The build tool, and why when both a pom.xml and a Gradle build are committed.

    Both: the one whose wrapper is committed, when only one is; else Maven. Its wrapper and
    plugins come from the Maven repository the dependencies come from (a Gradle wrapper downloads
    Gradle from Gradle's own host), and `dependency:go-offline` caches the dependencies in a layer
    of their own. The wizard asks (the answer's choices are maven and gradle); `--set` overrides.
    """
    present = [
        t
        for t, found in (("maven", project.is_file("pom.xml")), ("gradle", project.first(*_GRADLE)))
        if found
    ]
    if chosen in present:
        return chosen, None
    if len(present) < 2:
        return present[0], None
    wrapped = [t for t, runner in (("maven", "mvnw"), ("gradle", "gradlew")) if project.is_file(runner)]
    if len(wrapped) == 1:
        tool = wrapped[0]
        why = f"only {'mvnw' if tool == 'maven' else 'gradlew'} is committed, which pins the build tool"
    else:
        tool = "maven"
        why = (
            "Maven's wrapper and plugins come from the Maven repository the dependencies come from, "
            "and dependency:go-offline caches the dependencies in their own layer"
        )
    other = "gradle" if tool == "maven" else "maven"
    return tool, (
        f"both pom.xml and a Gradle build; {'Maven' if tool == 'maven' else 'Gradle'} chosen: {why} "
        f"(--set package_manager={other} builds with the other)"
    )


def _health(project: Project, build: JavaBuild) -> tuple[str | None, str]:
    if build.framework == "spring-boot" and build.actuator:
        return "/actuator/health", "spring-boot-starter-actuator serves /actuator/health"
    if build.framework == "quarkus" and "smallrye-health" in (project.read_text("pom.xml") or "") + "".join(
        project.read_text(g) or "" for g in _GRADLE if project.is_file(g)
    ):
        return "/q/health", "quarkus-smallrye-health serves /q/health"
    routes: dict[str, str] = {}
    for file in project.files(".java", ".kt", max_depth=10)[:2000]:
        if not file.startswith("src/main/"):
            continue
        for match in _ROUTE.finditer(project.read_source(file) or ""):
            routes.setdefault("/" + match[1], file)
    found = pick_health_path(routes)
    return found, (f"{routes[found]} maps {found}" if found else NO_HEALTH_ROUTE)


def tooling_only(project: Project) -> str | None:
    """Never: this ecosystem's markers always mean an app."""
    return None


def plan(project: Project, hints: Mapping[str, Any] | None = None) -> Detection:
    """Read the build files and the configuration; decide everything the template needs."""
    hints = hints or {}
    tool, tool_reason = _tool(project, hints.get("package_manager"))
    build = read_build(project, tool)
    configured, config_warnings = configured_port(project)
    port, port_reason = configured or (
        8080,
        f"{build.framework or 'the JVM server'}'s default port 8080 (no port in its application config)",
    )
    health, health_reason = _health(project, build)
    boot = tuple(int(p) for p in re.findall(r"\d+", build.boot_version or "0")[:2])
    layered = build.framework == "spring-boot" and (build.boot_version == "3" or boot >= (3, 3))
    if layered:
        start: tuple[str, ...] = ("java", JAR_LAUNCHER)
        start_reason = "Spring Boot's layers (dependencies first), started by its JarLauncher"
    elif build.framework == "quarkus":
        start = ("java", "-jar", "quarkus-run.jar")
        start_reason = "Quarkus' fast-jar layout (quarkus-app/) runs quarkus-run.jar"
    else:
        start = ("java", "-jar", "app.jar")
        start_reason = "the application jar the build writes"
    runner = "mvnw" if tool == "maven" else "gradlew"
    reasons = {
        "kind": f"{'pom.xml' if tool == 'maven' else 'a Gradle build script'} at the root",
        "package_manager": tool_reason
        or f"{'Maven' if tool == 'maven' else 'Gradle'}"
        + (f" through the committed {runner}" if build.wrapper else f" (no {runner}: the builder image's)"),
        "runtime_version": build.java_reason,
        "dependency_files": "the build files and wrapper, copied first: resolved dependencies stay cached",
        "start_command": start_reason,
        "port": port_reason,
        "health_path": health_reason,
        **build.reasons,
        "base": "slim: Eclipse Temurin's JRE (Ubuntu, glibc); the JDK and build tool stay in the build stage",
    }
    return Detection.of(
        kind=NAME,
        values={
            "package_manager": tool,
            "package_manager_version": "",
            "runtime_version": build.java,
            "framework": build.framework or "",
            "dependency_files": build.files,
            "build_command": [],
            "port": port,
            "start_command": start,
            "health_path": health or "/",
            "base": "slim",
        },
        reasons=reasons,
        manifest="pom.xml" if tool == "maven" else "build.gradle",
        warnings=build.warnings + tuple(config_warnings),
    )


base_drift = no_base_drift
