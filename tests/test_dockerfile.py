"""The container image, checked without Docker (no engine here).

The Dockerfile is parsed: stages, user, health check, entry point. The builder's
wheel build and the final stage's install are run as written, into a temporary
directory and a fresh virtual environment (two flags added for speed: no
dependencies, no build isolation), and the installed console script is run.
"""

from __future__ import annotations

import ast
import http.server
import json
import os
import re
import shlex
import shutil
import site
import socket
import subprocess
import sys
import threading
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from central_otel import __version__
from central_otel.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
BASE_IMAGE = "python:3.11-slim"
UID = "10001"


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper case
    args: str  # the rest of the (continued) line, stripped

    def exec_form(self) -> list[str]:
        """The JSON array of an exec-form instruction (ENTRYPOINT, CMD, ...)."""
        value = json.loads(self.args)
        assert isinstance(value, list)
        assert all(isinstance(item, str) for item in value)
        return [str(item) for item in value]


@dataclass(slots=True)
class Stage:
    image: str
    name: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        found = self.all(keyword)
        assert found, f"stage {self.name!r} has no {keyword}"
        return found[-1]


def instructions(text: str) -> list[Instruction]:
    """Dockerfile instructions: comments dropped, backslash continuations joined."""
    result: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        result.append(Instruction(keyword.upper(), args.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


def stages(text: str) -> list[Stage]:
    args: dict[str, str] = {}
    found: list[Stage] = []
    for instruction in instructions(text):
        if instruction.keyword == "ARG" and not found:
            name, _, default = instruction.args.partition("=")
            args[name] = default
        elif instruction.keyword == "FROM":
            words = instruction.args.split()
            image = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m[1] or m[2]], words[0])
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else str(len(found))
            found.append(Stage(image, name))
        else:
            assert found, f"{instruction.keyword} before the first FROM"
            found[-1].instructions.append(instruction)
    return found


def run_commands(instruction: Instruction) -> list[list[str]]:
    """A shell-form RUN split into its `&&`-joined commands (flags like --mount dropped)."""
    words = shlex.split(instruction.args)
    while words and words[0].startswith("--"):
        words.pop(0)
    commands: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            commands.append([])
        else:
            commands[-1].append(word)
    return commands


@pytest.fixture(scope="module")
def dockerfile() -> list[Stage]:
    return stages(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def builder(dockerfile: list[Stage]) -> Stage:
    return next(stage for stage in dockerfile if stage.name == "builder")


@pytest.fixture(scope="module")
def final(dockerfile: list[Stage]) -> Stage:
    return dockerfile[-1]


def console_scripts() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts: dict[str, str] = pyproject["project"]["scripts"]
    return scripts


def pip_install_command(final: Stage) -> list[str]:
    for instruction in final.all("RUN"):
        for command in run_commands(instruction):
            if command[:4] == ["python", "-m", "pip", "install"]:
                return command
    raise AssertionError("the final stage has no `python -m pip install`")


def pip_wheel_command(builder: Stage) -> list[str]:
    for instruction in builder.all("RUN"):
        for command in run_commands(instruction):
            if command[:4] == ["python", "-m", "pip", "wheel"]:
                return command
    raise AssertionError("the builder stage has no `python -m pip wheel`")


# -- structure -------------------------------------------------------------------------


def test_two_stages_on_the_slim_python_image(dockerfile: list[Stage]) -> None:
    assert [stage.name for stage in dockerfile] == ["builder", "final"]
    assert {stage.image for stage in dockerfile} == {BASE_IMAGE}


def test_final_stage_installs_the_builders_wheels_only(builder: Stage, final: Stage) -> None:
    wheel = pip_wheel_command(builder)
    assert "--wheel-dir" in wheel
    wheel_dir = wheel[wheel.index("--wheel-dir") + 1]
    install = pip_install_command(final)
    assert "--no-index" in install, "the final stage must not reach out to an index"
    assert f"--find-links={wheel_dir}" in install
    assert install[-1] == "central-otel"
    (run,) = [i for i in final.all("RUN") if install[0] in i.args and "pip install" in i.args]
    assert f"from=builder,source={wheel_dir}" in run.args
    # Nothing but the wheels comes into the final stage: no source tree, no compiler.
    assert not final.all("COPY")
    assert not final.all("ADD")
    text = " ".join(i.args for i in final.all("RUN"))
    for tool in ("apt-get", "gcc", "build-essential", "setuptools", "git"):
        assert tool not in text


def test_runs_as_an_unprivileged_user(final: Stage) -> None:
    user = final.last("USER").args
    assert user.split(":")[0] == UID
    assert user.split(":")[0] not in {"0", "root"}
    assert f"--uid {UID}" in " ".join(i.args for i in final.all("RUN"))
    assert final.instructions.index(final.last("USER")) > max(
        final.instructions.index(run) for run in final.all("RUN")
    ), "USER comes after every RUN: nothing runs as root at run time"


def test_read_only_root_filesystem_friendly(final: Stage) -> None:
    env = " ".join(i.args for i in final.all("ENV"))
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    assert "HOME=/tmp" in env  # nothing expects a writable home under /
    volume = final.last("VOLUME").exec_form()
    assert volume == ["/var/lib/central-otel"]
    run = " ".join(i.args for i in final.all("RUN"))
    assert f"chown {UID}:{UID} /var/lib/central-otel" in run


def test_exposes_the_health_port(final: Stage) -> None:
    assert final.last("EXPOSE").args == "8080"


def test_entrypoint_is_the_installed_console_script(final: Stage) -> None:
    assert final.last("ENTRYPOINT").exec_form() == ["central-otel"]
    assert "central-otel" in console_scripts()
    assert final.last("CMD").exec_form() == ["run", "--config", "/etc/central-otel/config.yaml"]


def test_cmd_is_a_valid_command_line(final: Stage) -> None:
    args = build_parser().parse_args(final.last("CMD").exec_form())
    assert args.command == "run"


# -- health check ------------------------------------------------------------------------


def healthcheck_code(final: Stage) -> str:
    args = final.last("HEALTHCHECK").args
    options, _, command = args.partition("CMD ")
    assert re.fullmatch(r"(--\w[\w-]*=\S+\s+)*", options), options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert len(argv) == 3
    return str(argv[2])


def test_healthcheck_is_stdlib_python_hitting_healthz(final: Stage) -> None:
    code = healthcheck_code(final)
    tree = ast.parse(code)
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.module is not None
            imported.add(node.module.split(".")[0])
    assert imported
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)
    assert "http://127.0.0.1:8080/healthz" in code


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = b"ok\n" if self.path == "/healthz" and self.status == 200 else b"no\n"
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _run_healthcheck(code: str, url: str) -> int:
    env = {"PATH": os.environ.get("PATH", ""), "CENTRAL_OTEL_HEALTHCHECK_URL": url}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, timeout=30, check=False
    )
    return result.returncode


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_healthcheck_exit_status_follows_healthz(final: Stage, status: int, healthy: bool) -> None:
    handler = type("Handler", (_Health,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/healthz"
        assert (_run_healthcheck(healthcheck_code(final), url) == 0) is healthy
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_fails_when_nothing_listens(final: Stage) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        assert _run_healthcheck(healthcheck_code(final), f"http://127.0.0.1:{port}/healthz") != 0


# -- build context -------------------------------------------------------------------------


def _ignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    patterns = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        glob = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(glob):
            if glob.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif glob.startswith("**", i):
                regex += ".*"
                i += 2
            elif glob[i] == "*":
                regex += "[^/]*"
                i += 1
            elif glob[i] == "?":
                regex += "[^/]"
                i += 1
            elif glob[i] == "[":
                end = glob.index("]", i)
                regex += glob[i : end + 1]
                i = end + 1
            else:
                regex += re.escape(glob[i])
                i += 1
        patterns.append((negate, re.compile(regex)))
    return patterns


def ignored(path: str) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern matching a parent
    directory excludes everything below it."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for negate, pattern in _ignore_patterns():
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            result = not negate
    return result


def copied_sources(builder: Stage) -> list[str]:
    sources: list[str] = []
    for instruction in builder.all("COPY"):
        words = [w for w in instruction.args.split() if not w.startswith("--")]
        sources.extend(words[:-1])
    return sources


def test_build_context_keeps_the_inputs_and_drops_the_rest(builder: Stage) -> None:
    sources = copied_sources(builder)
    assert sources == ["pyproject.toml", "README.md", "central_otel"]
    for source in sources:
        path = ROOT / source
        assert path.exists(), source
        files = [path] if path.is_file() else [p for p in path.rglob("*.py") if p.is_file()]
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if "__pycache__" not in relative:
                assert not ignored(relative), f"{relative} is needed but .dockerignore drops it"
    for dropped in (".venv/bin/python", ".git/HEAD", "tests/test_dockerfile.py", "docs/x.md"):
        assert ignored(dropped), dropped
    assert ignored("central_otel/__pycache__/cli.cpython-311.pyc")
    assert ignored("secrets/customer-a.key")


# -- the install step, for real ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"


def _dependency_path() -> str:
    """The test environment's site-packages, so that the fresh venv finds the project's
    dependencies (the image installs them from wheels; here they are already present).
    Listed in a .pth file, it is not itself a site directory: its editable-install hook
    for central_otel does not run, and the copy from the wheel is the one imported."""
    paths = [p for p in site.getsitepackages() if p.endswith("site-packages")]
    assert paths
    return paths[0]


@pytest.fixture(scope="module")
def installed(builder: Stage, final: Stage, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("image")
    context = work / "src"
    context.mkdir()
    for source in copied_sources(builder):
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(
                origin, context / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(origin, context / source)
    wheels = work / "wheels"
    # pip as in a clean image: no configuration files or PIP_* settings of this machine.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PYTHONDONTWRITEBYTECODE="1",
    )

    # The builder's command as written, plus --no-deps --no-build-isolation --no-index
    # (offline and fast: setuptools comes from the test environment).
    wheel = pip_wheel_command(builder)
    wheel_dir = wheel[wheel.index("--wheel-dir") + 1]
    args = [str(wheels) if word == wheel_dir else word for word in wheel[4:]]
    offline = ["--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *offline, *args],
        cwd=context,
        env=env,
        check=True,
        timeout=120,
    )
    (built,) = wheels.glob("central_otel-*.whl")

    venv = work / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
    )
    # The final stage's command as written, plus --no-deps, into the fresh venv.
    install = pip_install_command(final)
    args = [
        f"--find-links={wheels}" if word.startswith("--find-links=") else word
        for word in install[4:]
    ]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            *args,
        ],
        cwd=work,
        env=env,
        check=True,
        timeout=120,
    )
    # Only now (pip would otherwise see the test environment's editable install).
    (target_site,) = (venv / "lib").glob("python3.*/site-packages")
    assert (target_site / "central_otel" / "cli.py").is_file()
    (target_site / "_test_dependencies.pth").write_text(_dependency_path() + "\n")
    return Installed(built, venv)


def test_wheel_holds_the_package_and_nothing_else(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"central_otel", f"central_otel-{__version__}.dist-info"}
    assert "central_otel/py.typed" in names
    assert "central_otel/proto/monitoring_pb2.py" in names
    assert "central_otel/proto/monitoring_pb2.pyi" in names
    assert not any("__pycache__" in name for name in names)


def test_installed_console_script_runs_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    script = installed.bin / "central-otel"
    assert script.is_file()
    env = {"PATH": f"{installed.bin}:/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [str(script), "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"central-otel {__version__}"
    where = subprocess.run(
        [str(installed.bin / "python"), "-c", "import central_otel; print(central_otel.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.venv), where.stdout
