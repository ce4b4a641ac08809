"""Logging in to a running gateway from tests and the demo: the first owner from the command
line, a login, and the headers a browser would send with its session."""

import os
import subprocess
import sys
from http.cookies import SimpleCookie

import httpx

from connector_devstack.services import ServiceProcess

PASSWORD = "correct horse battery staple"
SESSION_COOKIE = "__Host-session"


def create_owner(
    gateway: ServiceProcess, email: str, password: str = PASSWORD, name: str = "Olivia"
) -> subprocess.CompletedProcess[str]:
    """Run `python -m gateway create-owner` against the gateway's database."""
    command = ["create-owner", "--email", email, "--name", name, "--password-stdin"]
    return subprocess.run(
        [sys.executable, "-m", "gateway", *command],
        input=password + "\n",
        env={**os.environ, **gateway.env},
        capture_output=True,
        text=True,
        timeout=600,  # argon2 plus a Python start: minutes on a machine shared by many suites
    )


def login(gateway: ServiceProcess, email: str, password: str = PASSWORD) -> httpx.Response:
    """POST the login form."""
    body = {"email": email, "password": password}
    return httpx.post(f"{gateway.url}/api/v1/auth/login", json=body, timeout=30)


def session_of(response: httpx.Response) -> tuple[str, str]:
    """`(session cookie value, CSRF token)` of a successful login. The cookie is Secure, so a
    client over plain http would not send it back: callers send it by hand."""
    assert response.status_code == 200, response.text
    cookie = SimpleCookie(response.headers["set-cookie"])[SESSION_COOKIE]
    return cookie.value, response.json()["csrf_token"]


def browser_headers(response: httpx.Response) -> dict[str, str]:
    """What a browser sends after the login `response`: its session cookie and CSRF header."""
    session, csrf = session_of(response)
    return {"Cookie": f"{SESSION_COOKIE}={session}", "X-CSRF-Token": csrf}
