"""The compose stack ends TLS in front of the web service; `make run` takes a port."""

import shutil
import subprocess  # nosec B404
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_only_the_tls_proxy_publishes_ports_and_it_forwards_to_web():
    services = _compose()["services"]
    published = sorted(name for name, service in services.items() if service.get("ports"))
    assert published == ["proxy"]
    assert services["proxy"]["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "tls {$ENVOY_TLS:internal}" in caddyfile


def test_production_trusts_the_proxy_scheme_header():
    settings = (ROOT / "config" / "settings" / "production.py").read_text()
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in settings


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_compose_file_validates():
    result = subprocess.run(  # nosec B603 B607
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT, env={"DJANGO_SECRET_KEY": "x", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_takes_a_port():
    result = subprocess.run(  # nosec B603 B607
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "runstack --addr 127.0.0.1:8001" in result.stdout
    default = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)  # nosec
    assert "runstack --addr 127.0.0.1:8000" in default.stdout
