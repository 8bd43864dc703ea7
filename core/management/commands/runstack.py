"""Run web server, Celery worker and Celery beat together in the foreground; Ctrl-C stops all."""

import signal
import subprocess  # nosec B404
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server on 127.0.0.1, a Celery worker and Celery beat; Ctrl-C stops all of them."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-beat", action="store_true")

    def handle(self, *args, addr, no_beat, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,imports,packets",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
            ],
        }
        if not no_beat:
            commands["beat"] = [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO", "--pidfile", ""]
        # Fixed argument lists, never a shell.
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603  # nosec B603
        self.stdout.write(
            self.style.SUCCESS(
                f"Envoy CRM at http://{addr}/ (web, worker{', beat' if not no_beat else ''}). Ctrl-C stops all."
            )
        )
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with code {process.returncode}; stopping the others.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
        self.stdout.write("Stopped.")
