"""The Docker engine, through the Docker SDK (which honours DOCKER_HOST and the client config)."""

from __future__ import annotations

import os

import docker
import docker.errors

from dockgen.errors import EngineUnavailableError

__all__ = ["connect"]


def _where() -> str:
    return os.environ.get("DOCKER_HOST") or "the default socket (/var/run/docker.sock)"


def connect() -> docker.DockerClient:
    """A client for a daemon that answers.

    Raises:
        EngineUnavailableError: nothing answers, or the socket refuses this user.
    """
    try:
        client = docker.from_env(timeout=60)
        client.ping()
    except docker.errors.DockerException as error:
        text = str(error)
        if "Permission denied" in text or "PermissionError" in text:
            raise EngineUnavailableError(
                f"permission denied on {_where()}: add your user to the docker group "
                "(`sudo usermod -aG docker $USER`, then log in again) or run dockgen with sudo"
            ) from error
        raise EngineUnavailableError(
            f"cannot reach a Docker engine at {_where()}: start one (`sudo systemctl start docker`, "
            "or `sudo dockerd &`) or point DOCKER_HOST at one (--no-build skips the test build)"
        ) from error
    return client
