"""Maven and Gradle builds: the tool, the Java release, Spring Boot and its actuator.

pom.xml and Gradle scripts are read as text with a few patterns (no XML parser, no script
evaluation): what they declare in the usual places is found, anything computed is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dockgen._knowledge import versions
from dockgen._project import Project
from dockgen.detectors._comments import read_config

__all__ = ["JavaBuild", "read_build"]

_MAVEN_RELEASE = (
    re.compile(r"<maven\.compiler\.release>\s*(\d{1,2})\s*</"),
    re.compile(r"<java\.version>\s*(?:1\.)?(\d{1,2})\s*</"),
    re.compile(r"<maven\.compiler\.target>\s*(?:1\.)?(\d{1,2})\s*</"),
    re.compile(r"<maven\.compiler\.source>\s*(?:1\.)?(\d{1,2})\s*</"),
    re.compile(r"<release>\s*(\d{1,2})\s*</release>"),
)
_GRADLE_RELEASE = (
    re.compile(r"JavaLanguageVersion\.of\(\s*(\d{1,2})\s*\)"),
    re.compile(r"JavaVersion\.VERSION_(?:1_)?(\d{1,2})\b"),
    re.compile(r"""(?:source|target)Compatibility\s*=\s*['"]?(?:1\.)?(\d{1,2})\b"""),
    re.compile(r"jvmToolchain\(\s*(\d{1,2})\s*\)"),
)
_BOOT_PARENT = re.compile(
    r"<parent>\s*<groupId>\s*org\.springframework\.boot\s*</groupId>\s*<artifactId>\s*"
    r"spring-boot-starter-parent\s*</artifactId>\s*<version>\s*([\w.-]+)\s*</version>",
    re.DOTALL,
)
# `\s*(?:\(\s*)?`, not `\s*\(?\s*`: two runs around an optional token made every split of a long
# whitespace run a try, quadratic in its length (issue 18).
_BOOT_GRADLE = re.compile(
    r"""id\s*(?:\(\s*)?['"]org\.springframework\.boot['"]\s*(?:\)\s*)?version\s*(?:\(\s*)?['"]([\w.-]+)['"]"""
)


@dataclass(frozen=True, slots=True, kw_only=True)
class JavaBuild:
    """What the build files say."""

    tool: str  # maven | gradle
    wrapper: bool  # mvnw / gradlew is committed
    files: tuple[str, ...]  # what the dependency resolution reads
    java: str
    java_reason: str
    framework: str | None
    boot_version: str | None
    actuator: bool
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _without_comments(xml: str) -> str:
    """`xml` without its `<!-- ... -->` comments; an unterminated one is left as it is.

    With str.find, not `<!--.*?-->`: each unterminated `<!--` made the pattern read to the end
    of the file, quadratic in a file of them (issue 18).
    """
    kept: list[str] = []
    done = 0
    while (start := xml.find("<!--", done)) >= 0 and (end := xml.find("-->", start + 4)) >= 0:
        kept.append(xml[done:start])
        done = end + 3
    kept.append(xml[done:])
    return "".join(kept)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match
    return None


def _key(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v)[:3])


def read_build(project: Project, tool: str) -> JavaBuild:
    """Read the Maven or Gradle build at the root."""
    table = versions()
    lts = [str(v) for v in table.get("java_lts", [])]
    newest = str(table["runtime"]["java"])
    warnings: list[str] = []
    reasons: dict[str, str] = {}
    if tool == "maven":
        text = _without_comments(project.read_text("pom.xml") or "")
        wrapper = project.is_file("mvnw")
        files = [
            "pom.xml",
            *[f for f in ("mvnw", ".mvn/wrapper/maven-wrapper.properties") if project.is_file(f)],
        ]
        release = _first(_MAVEN_RELEASE, text)
        boot = _BOOT_PARENT.search(text)
        boot_version = boot[1] if boot else None
        if not boot and "spring-boot-maven-plugin" in text:
            boot_version = "3"
        source = "pom.xml"
    else:
        script = project.first("build.gradle.kts", "build.gradle") or "build.gradle"
        text = read_config(project, script) or ""
        wrapper = project.is_file("gradlew")
        files = [
            f
            for f in (
                "settings.gradle.kts",
                "settings.gradle",
                script,
                "gradle.properties",
                "gradlew",
                "gradle/wrapper/gradle-wrapper.properties",
                "gradle/wrapper/gradle-wrapper.jar",
                "gradle/libs.versions.toml",
            )
            if project.is_file(f)
        ]
        release = _first(_GRADLE_RELEASE, text)
        boot = _BOOT_GRADLE.search(text)
        boot_version = boot[1] if boot else ("3" if "org.springframework.boot" in text else None)
        source = script
    actuator = "spring-boot-starter-actuator" in text
    quarkus = "io.quarkus" in text
    micronaut = "io.micronaut" in text
    java, java_reason = newest, f"no Java release in {source}; Java {newest} is the newest LTS"
    for name in (".java-version", ".sdkmanrc"):
        pinned = project.read_text(name) if project.is_file(name) else None
        match = re.search(r"(?:java=)?(\d{1,2})(?:[.\-+]|\s|$)", pinned or "")
        if match:
            java, java_reason = match[1], f"{name}: {pinned.strip().splitlines()[0] if pinned else ''}"
            break
    else:
        if release:
            java, java_reason = release[1], f"{source}: {release[0].strip()}"
    if lts and java not in lts:
        later = [v for v in lts if int(v) >= int(java)]
        if later:
            warnings.append(
                f"Java {java} is not a long-term-support release; the image uses Java {later[0]}, "
                "the next LTS (Temurin publishes images for LTS lines)"
            )
            java_reason += f" → Java {later[0]} (LTS)"
            java = later[0]
    framework = None
    if boot_version:
        framework = "spring-boot"
        reasons["framework"] = f"Spring Boot {boot_version} in {source}"
        if boot_version != "3" and _key(boot_version) < (3, 3):
            warnings.append(
                f"Spring Boot {boot_version}: layered extraction needs 3.3 or newer; the image runs the "
                "fat jar as one layer (upgrade Spring Boot for a smaller rebuild)"
            )
    elif quarkus:
        framework = "quarkus"
        reasons["framework"] = f"io.quarkus in {source}"
    elif micronaut:
        framework = "micronaut"
        reasons["framework"] = f"io.micronaut in {source}"
    if not wrapper:
        warnings.append(
            f"no {'mvnw' if tool == 'maven' else 'gradlew'}: the build uses the "
            f"{'Maven' if tool == 'maven' else 'Gradle'} of the builder image; commit the wrapper to pin it"
        )
    return JavaBuild(
        tool=tool,
        wrapper=wrapper,
        files=tuple(files),
        java=java,
        java_reason=java_reason,
        framework=framework,
        boot_version=boot_version,
        actuator=actuator,
        reasons=reasons,
        warnings=tuple(warnings),
    )
