"""Java detector: Maven and Gradle, on small inline repositories."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import Detection, java

BOOT_PARENT = (
    "<parent><groupId>org.springframework.boot</groupId>"
    "<artifactId>spring-boot-starter-parent</artifactId><version>{}</version></parent>"
)


def pom(*parts: str) -> str:
    return "<project><modelVersion>4.0.0</modelVersion>" + "".join(parts) + "</project>"


def plan(tree, files: dict[str, Any], **hints: Any) -> Detection:
    return java.plan(Project(tree(files)), hints)


@pytest.mark.parametrize("marker", ["pom.xml", "build.gradle", "build.gradle.kts"])
def test_markers(tree, marker: str) -> None:
    assert java.detect(Project(tree({marker: ""})))


def test_maven_and_gradle_at_one_root_builds_with_maven_and_says_why(tree) -> None:
    """spring-petclinic commits both, each with its wrapper: -y alone must work (issue 12)."""
    files = {"pom.xml": pom(), "mvnw": "", "build.gradle": "", "gradlew": ""}
    detection = plan(tree, files)
    assert detection["package_manager"] == "maven"
    assert detection.reasons["package_manager"].startswith("both pom.xml and a Gradle build; Maven chosen")
    assert "--set package_manager=gradle" in detection.reasons["package_manager"]
    assert plan(tree, files, package_manager="gradle")["package_manager"] == "gradle"


def test_maven_and_gradle_with_the_gradle_wrapper_alone_builds_with_gradle(tree) -> None:
    detection = plan(tree, {"pom.xml": pom(), "build.gradle": "", "gradlew": ""})
    assert detection["package_manager"] == "gradle"
    assert "only gradlew is committed" in detection.reasons["package_manager"]


# ---- Java release --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "version"),
    [
        ({"pom.xml": pom("<properties><java.version>21</java.version></properties>")}, "21"),
        (
            {"pom.xml": pom("<properties><maven.compiler.release>17</maven.compiler.release></properties>")},
            "17",
        ),
        (
            {"pom.xml": pom("<properties><maven.compiler.source>1.8</maven.compiler.source></properties>")},
            "17",
        ),
        ({"pom.xml": pom("<!-- <java.version>11</java.version> -->")}, "25"),
        ({"build.gradle.kts": "java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }"}, "21"),
        ({"build.gradle": "sourceCompatibility = '17'"}, "17"),
        ({"build.gradle": "java { sourceCompatibility = JavaVersion.VERSION_24 }"}, "25"),
        ({"pom.xml": pom(), ".java-version": "21.0.5\n"}, "21"),
        ({"pom.xml": pom(), ".sdkmanrc": "java=17.0.12-tem\n"}, "17"),
    ],
)
def test_java_release(tree, files: dict[str, str], version: str) -> None:
    assert plan(tree, files)["runtime_version"] == version


def test_a_non_lts_release_moves_to_the_next_lts_and_says_so(tree) -> None:
    detection = plan(tree, {"build.gradle": "kotlin { jvmToolchain(23) }"})
    assert detection["runtime_version"] == "25" and any(
        "not a long-term-support" in w for w in detection.warnings
    )


# ---- Spring Boot and friends ----------------------------------------------------------------------
def test_spring_boot_3_3_plus_runs_from_its_layers(tree) -> None:
    detection = plan(tree, {"pom.xml": pom(BOOT_PARENT.format("3.5.7"))})
    assert detection["framework"] == "spring-boot"
    assert detection["start_command"] == ["java", "org.springframework.boot.loader.launch.JarLauncher"]


def test_older_spring_boot_runs_the_fat_jar_with_a_warning(tree) -> None:
    detection = plan(tree, {"pom.xml": pom(BOOT_PARENT.format("3.1.4"))})
    assert detection["start_command"] == ["java", "-jar", "app.jar"]
    assert any("layered extraction needs 3.3" in w for w in detection.warnings)


def test_spring_boot_gradle_plugin(tree) -> None:
    script = 'plugins {\n    id("org.springframework.boot") version "3.4.1"\n}\n'
    detection = plan(tree, {"build.gradle.kts": script, "gradlew": "", "settings.gradle.kts": ""})
    assert detection["framework"] == "spring-boot" and detection["package_manager"] == "gradle"
    assert detection["dependency_files"] == ["settings.gradle.kts", "build.gradle.kts", "gradlew"]


def test_actuator_is_the_health_route(tree) -> None:
    deps = "<dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies>"
    detection = plan(tree, {"pom.xml": pom(BOOT_PARENT.format("3.5.0"), deps)})
    assert detection["health_path"] == "/actuator/health"


def test_a_mapped_health_route(tree) -> None:
    controller = '@RestController\nclass H {\n  @GetMapping("/healthz")\n  String ok() { return "ok"; }\n}\n'
    detection = plan(tree, {"pom.xml": pom(), "src/main/java/H.java": controller})
    assert detection["health_path"] == "/healthz"


def test_quarkus_runs_its_fast_jar(tree) -> None:
    detection = plan(tree, {"pom.xml": pom("<dependency><groupId>io.quarkus</groupId></dependency>")})
    assert detection["framework"] == "quarkus" and detection["start_command"] == [
        "java",
        "-jar",
        "quarkus-run.jar",
    ]


@pytest.mark.parametrize(
    ("config", "text", "port"),
    [
        ("application.properties", "server.port=9090\n", 9090),
        ("application.yml", "spring:\n  application:\n    name: x\nserver:\n  port: 7070\n", 7070),
        ("application.properties", "quarkus.http.port=8181\n", 8181),
        ("application.properties", "# server.port=1\nserver.port : 9091\n", 9091),
        ("application.properties", "server.port=\\\n    9092\n", 9092),  # a continued line
        ("application.properties", "server.port=${PORT:8080}\n", 8080),  # a placeholder: the default
        ("application.yml", "server.port: 7071\n", 7071),
        ("application.yml", "server:\n  port: '7072'\n", 7072),
        ("application.yaml", "quarkus:\n  http:\n    port: 7073\n", 7073),
        ("application.yml", "micronaut.server:\n  port: 7074\n", 7074),
        ("application.yml", "server:\n  servlet:\n    context-path: /api\n", 8080),
    ],
)
def test_port_from_the_configuration(tree, config: str, text: str, port: int) -> None:
    detection = plan(tree, {"pom.xml": pom(), f"src/main/resources/{config}": text})
    assert detection["port"] == port


PROFILES = """\
spring:
  profiles:
    active: {active}
server:
  port: 8081
---
spring:
  config:
    activate:
      on-profile: prod
server:
  port: 9000
---
spring:
  profiles: test
server:
  port: 9999
"""


@pytest.mark.parametrize(("active", "port", "why"), [("dev", 8081, ""), ("prod", 9000, " (profile prod)")])
def test_a_profile_document_counts_when_the_profile_is_active(tree, active: str, port: int, why: str) -> None:
    config = "src/main/resources/application.yml"
    detection = plan(tree, {"pom.xml": pom(), config: PROFILES.format(active=active)})
    assert (detection["port"], detection.reasons["port"]) == (port, f"{config}: port {port}{why}")


def test_a_later_properties_document_overrides_an_earlier_one(tree) -> None:
    text = (
        "server.port=8081\n#---\nserver.port=8082\n#---\nspring.config.activate.on-profile=x\nserver.port=1\n"
    )
    assert plan(tree, {"pom.xml": pom(), "src/main/resources/application.properties": text})["port"] == 8082


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("server:\n  port: [8081\n", "invalid YAML ("),
        ("[" * 5000, "invalid YAML (nested deeper than 64 levels)"),
        ("- " * 40000 + "x", "nested deeper"),
    ],
)
def test_an_unreadable_application_yml_is_a_warning(tree, text: str, problem: str) -> None:
    detection = plan(tree, {"pom.xml": pom(), "src/main/resources/application.yml": text})
    assert detection["port"] == 8080
    assert any(
        w.startswith("src/main/resources/application.yml: ") and problem in w for w in detection.warnings
    )


def test_an_oversized_application_config_is_a_warning(tree) -> None:
    text = "server.port=9090\n" + "# padding\n" * 30_000
    detection = plan(tree, {"pom.xml": pom(), "src/main/resources/application.properties": text})
    assert detection["port"] == 8080
    assert any("application.properties is larger than" in w for w in detection.warnings)


def test_maven_wrapper_is_a_dependency_file(tree) -> None:
    files = {"pom.xml": pom(), "mvnw": "", ".mvn/wrapper/maven-wrapper.properties": ""}
    detection = plan(tree, files)
    assert detection["dependency_files"] == ["pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties"]
    assert not any("no mvnw" in w for w in detection.warnings)
