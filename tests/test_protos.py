"""The project's .proto files (protos/) and the modules generated from them.

* The committed ``central_otel/proto/*_pb2.py(i)`` are exactly what
  ``scripts/generate_protos.py`` produces from ``protos/``.
* Each of our .proto files is wire-identical to Aruba's published reference file:
  both are compiled with protoc into a ``FileDescriptorSet`` and a normalised form
  (everything that affects the wire format or decoding, nothing cosmetic) is compared.
* A few decoding behaviours the collector relies on hold with the installed runtime.

Reference files: ``$CENTRAL_OTEL_REFERENCE_PROTOS`` or ``<repo>/../shared/reference/
aruba-protos`` (Classic), ``$CENTRAL_OTEL_REFERENCE_NEW_CENTRAL_PROTOS`` or
``<repo>/../shared/reference/new-central/proto`` (New Central: our files live in
``protos/new_central/``). Without them the comparison is skipped, except in CI
(``CI=true``) where it fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.message import EncodeError
from grpc_tools import protoc

from central_otel.proto import apprf_pb2, audit_pb2, monitoring_pb2, streaming_pb2
from central_otel.proto.new_central import ap_events_pb2, client_pb2, event_pb2, sw_pb2

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "generate_protos.py"
PROTO_DIR = REPO_ROOT / "protos"
GENERATED_DIR = REPO_ROOT / "central_otel" / "proto"
DEFAULT_REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference" / "aruba-protos"
DEFAULT_NEW_CENTRAL_REFERENCE_DIR = (
    REPO_ROOT.parent / "shared" / "reference" / "new-central" / "proto"
)

# file -> protobuf package, in the order the generator compiles them
PACKAGES: dict[str, str] = {
    "streaming.proto": "StreamMessage",
    "monitoring.proto": "Monitoring",
    "presence.proto": "Presence",
    "security.proto": "Security",
    "location.proto": "Location",
    "apprf.proto": "Apprf",
    "audit.proto": "Audit",
}
CLASSIC_PROTO_FILES = tuple(PACKAGES)
# New Central: our file (under protos/) -> protobuf package; the reference file has the
# same name without the directory.
NEW_CENTRAL_PACKAGES: dict[str, str] = {
    "new_central/event.proto": "cloudevents.v1",
    "new_central/ap_events.proto": "network_monitoring.ap.v1alpha1",
    "new_central/client.proto": "network_monitoring.clients.v1",
    "new_central/sw.proto": "network_monitoring.switch.v1",
    "new_central/alert.proto": "network_notifications.alerts.v1",
    "new_central/audit_trail.proto": "audittrail",
    "new_central/location.proto": "network_services.location.v1alpha1",
    "new_central/location_analytics.proto": "network_services.location_analytics.v1alpha1",
    "new_central/geofence.proto": "network_services.geofence.v1alpha1",
}
NEW_CENTRAL_PROTO_FILES = tuple(NEW_CENTRAL_PACKAGES)
PROTO_FILES = CLASSIC_PROTO_FILES + NEW_CENTRAL_PROTO_FILES

FieldProto = descriptor_pb2.FieldDescriptorProto


class Generator(Protocol):
    """The part of scripts/generate_protos.py the tests use."""

    PROTO_FILES: tuple[str, ...]

    def generate(
        self, out_dir: Path, proto_dir: Path = ..., proto_files: Sequence[str] = ...
    ) -> None: ...

    def stale_files(
        self,
        committed_dir: Path = ...,
        proto_dir: Path = ...,
        proto_files: Sequence[str] = ...,
    ) -> list[str]: ...

    def expected_outputs(self, proto_files: Sequence[str] = ...) -> list[str]: ...

    def protoc_include_dir(self) -> Path: ...

    def main(self, argv: Sequence[str] | None = None) -> int: ...


@pytest.fixture(scope="module")
def generator() -> Generator:
    spec = importlib.util.spec_from_file_location("generate_protos", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return cast("Generator", module)


# --------------------------------------------------------------------------- generation


def test_generator_compiles_every_proto_file(generator: Generator) -> None:
    assert generator.PROTO_FILES == PROTO_FILES
    found = sorted(p.relative_to(PROTO_DIR).as_posix() for p in PROTO_DIR.rglob("*.proto"))
    assert found == sorted(PROTO_FILES)


def test_generated_modules_match_protos(generator: Generator, tmp_path: Path) -> None:
    generator.generate(tmp_path)
    expected = generator.expected_outputs()
    assert len(expected) == 2 * len(PROTO_FILES)
    assert "new_central/ap_events_pb2.py" in expected
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*_pb2.py*"))
    assert generated == expected

    missing = [name for name in expected if not (GENERATED_DIR / name).is_file()]
    assert missing == [], "run: python scripts/generate_protos.py"
    stale = [
        name
        for name in expected
        if (GENERATED_DIR / name).read_bytes() != (tmp_path / name).read_bytes()
    ]
    assert stale == [], "run: python scripts/generate_protos.py"
    assert generator.stale_files() == []


def test_check_mode_names_each_stale_file(generator: Generator, tmp_path: Path) -> None:
    committed = tmp_path / "committed"
    (committed / "new_central").mkdir(parents=True)
    for name in generator.expected_outputs():
        shutil.copyfile(GENERATED_DIR / name, committed / name)
    assert generator.stale_files(committed) == []

    with (committed / "audit_pb2.py").open("a") as handle:
        handle.write("# edited by hand\n")
    (committed / "presence_pb2.pyi").unlink()
    (committed / "rapids_pb2.py").write_text("")
    with (committed / "new_central" / "sw_pb2.py").open("a") as handle:
        handle.write("# edited by hand\n")
    (committed / "new_central" / "wids_pb2.py").write_text("")

    assert generator.stale_files(committed) == [
        "audit_pb2.py: differs from what protoc generates",
        "new_central/sw_pb2.py: differs from what protoc generates",
        "new_central/wids_pb2.py: extra (no proto file produces it)",
        "presence_pb2.pyi: missing (not generated yet)",
        "rapids_pb2.py: extra (no proto file produces it)",
    ]


def test_check_mode_passes_on_committed_files(
    generator: Generator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generator.main(["--check"]) == 0
    assert capsys.readouterr().err == ""


def test_our_protos_compile_without_warnings(
    generator: Generator, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    for name in PROTO_FILES:
        first_line = (PROTO_DIR / name).read_text(encoding="utf-8").splitlines()[0]
        syntax = (
            "proto3" if name == "streaming.proto" or name.startswith("new_central/") else "proto2"
        )
        assert first_line == f'syntax = "{syntax}";', name
    capfd.readouterr()
    generator.generate(tmp_path)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


# --------------------------------------------------------------------------- wire identity


def _compile_descriptor_set(
    proto_dir: Path, out_file: Path, include_dir: Path, proto_files: Sequence[str] = PROTO_FILES
) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    status = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{proto_dir}",
            f"-I{include_dir}",
            f"--descriptor_set_out={out_file}",
            "--include_imports",
            *proto_files,
        ]
    )
    assert status == 0, f"protoc failed on {proto_dir}"
    descriptor_set = descriptor_pb2.FileDescriptorSet.FromString(out_file.read_bytes())
    return {file.name: file for file in descriptor_set.file}


def _field(field: FieldProto) -> dict[str, object]:
    return {
        "number": field.number,
        "label": FieldProto.Label.Name(field.label),
        "type": FieldProto.Type.Name(field.type),
        "type_name": field.type_name,
        "extendee": field.extendee,
        "default_value": field.default_value if field.HasField("default_value") else None,
        "oneof_index": field.oneof_index if field.HasField("oneof_index") else None,
        "proto3_optional": field.proto3_optional,
        "packed": field.options.packed if field.options.HasField("packed") else None,
    }


def normalise(file: descriptor_pb2.FileDescriptorProto) -> dict[str, object]:
    """Flat, order-insensitive summary of everything in *file* that matters on the wire.

    Keys are ``"file"``, ``"message <full name>"``, ``"field <message>.<name>"`` and
    ``"enum <full name>"``, so a failing comparison names the exact element. Enum
    values stay a list in declaration order: in proto2 the first value is the
    default of an enum field without ``[default = ...]``. Ignored: json_name, the
    written-out ``syntax`` (only its effect is compared), comments, source info,
    the file name, and the order of messages/fields in the file.
    """
    out: dict[str, object] = {
        "file": {
            "package": file.package,
            "syntax": file.syntax or "proto2",  # no syntax line means proto2
            "dependencies": sorted(file.dependency),
            "extensions": {ext.name: _field(ext) for ext in file.extension},
            "services": sorted(service.name for service in file.service),
        }
    }

    def add_enum(enum: descriptor_pb2.EnumDescriptorProto, scope: str) -> None:
        out[f"enum {scope}.{enum.name}"] = [(value.name, value.number) for value in enum.value]

    def add_message(message: descriptor_pb2.DescriptorProto, scope: str) -> None:
        full_name = f"{scope}.{message.name}"
        out[f"message {full_name}"] = {
            "oneofs": [oneof.name for oneof in message.oneof_decl],
            "extensions": {ext.name: _field(ext) for ext in message.extension},
            "extension_ranges": [(r.start, r.end) for r in message.extension_range],
            "reserved_ranges": [(r.start, r.end) for r in message.reserved_range],
            "reserved_names": list(message.reserved_name),
            "map_entry": message.options.map_entry,
        }
        for field in message.field:
            out[f"field {full_name}.{field.name}"] = _field(field)
        for nested in message.nested_type:
            add_message(nested, full_name)
        for enum in message.enum_type:
            add_enum(enum, full_name)

    for message in file.message_type:
        add_message(message, file.package)
    for enum in file.enum_type:
        add_enum(enum, file.package)
    return out


def differences(ours: dict[str, object], reference: dict[str, object]) -> list[str]:
    """One readable line per differing element of two :func:`normalise` results."""
    lines: list[str] = []
    for key in sorted(ours.keys() | reference.keys()):
        if key not in reference:
            lines.append(f"{key}: only in ours")
        elif key not in ours:
            lines.append(f"{key}: missing from ours")
        elif ours[key] != reference[key]:
            mine, theirs = ours[key], reference[key]
            if isinstance(mine, dict) and isinstance(theirs, dict):
                for attr in sorted(mine.keys() | theirs.keys()):
                    if mine.get(attr) != theirs.get(attr):
                        lines.append(
                            f"{key}: {attr} is {mine.get(attr)!r}, reference {theirs.get(attr)!r}"
                        )
            else:
                lines.append(f"{key}: {mine!r}, reference {theirs!r}")
    return lines


def _top_level_names(file: descriptor_pb2.FileDescriptorProto) -> set[str]:
    return {f"message {m.name}" for m in file.message_type} | {
        f"enum {e.name}" for e in file.enum_type
    }


def _reference(variable: str, default: Path, what: str) -> Path:
    directory = Path(os.environ.get(variable) or default)
    if not directory.is_dir():
        reason = f"reference .proto files not found at {directory} (set {variable} to {what})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; in CI ../shared must exist beside the clone")
        pytest.skip(reason)
    return directory


@pytest.fixture(scope="module")
def reference_dir() -> Path:
    return _reference(
        "CENTRAL_OTEL_REFERENCE_PROTOS", DEFAULT_REFERENCE_DIR, "Aruba's published files"
    )


@pytest.fixture(scope="module")
def new_central_reference_dir() -> Path:
    return _reference(
        "CENTRAL_OTEL_REFERENCE_NEW_CENTRAL_PROTOS",
        DEFAULT_NEW_CENTRAL_REFERENCE_DIR,
        "the schemas HPE's SDK publishes",
    )


@pytest.fixture(scope="module")
def reference_files(
    reference_dir: Path,
    new_central_reference_dir: Path,
    generator: Generator,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    """Every reference file compiled, under the name of our file that renders it."""
    missing = [name for name in CLASSIC_PROTO_FILES if not (reference_dir / name).is_file()]
    assert missing == [], f"reference files missing from {reference_dir}"
    include = generator.protoc_include_dir()
    out_dir = tmp_path_factory.mktemp("reference")
    files = _compile_descriptor_set(
        reference_dir, out_dir / "classic.pb", include, CLASSIC_PROTO_FILES
    )
    names = {Path(ours).name: ours for ours in NEW_CENTRAL_PROTO_FILES}
    new_central = _compile_descriptor_set(
        new_central_reference_dir, out_dir / "new_central.pb", include, sorted(names)
    )
    files.update({names[name]: file for name, file in new_central.items() if name in names})
    return files


@pytest.fixture(scope="module")
def our_files(
    generator: Generator, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    out_file = tmp_path_factory.mktemp("ours") / "ours.pb"
    return _compile_descriptor_set(PROTO_DIR, out_file, generator.protoc_include_dir())


def test_reference_dir_has_exactly_these_files(reference_dir: Path) -> None:
    assert sorted(p.name for p in reference_dir.glob("*.proto")) == sorted(CLASSIC_PROTO_FILES)


def test_new_central_reference_dir_has_exactly_these_files(
    new_central_reference_dir: Path,
) -> None:
    found = sorted(p.name for p in new_central_reference_dir.glob("*.proto"))
    assert found == sorted(Path(name).name for name in NEW_CENTRAL_PROTO_FILES)


@pytest.mark.parametrize("name", PROTO_FILES)
def test_wire_identical_to_reference(
    name: str,
    reference_files: dict[str, descriptor_pb2.FileDescriptorProto],
    our_files: dict[str, descriptor_pb2.FileDescriptorProto],
) -> None:
    reference = reference_files[name]
    ours = our_files[name]
    assert ours.package == reference.package == {**PACKAGES, **NEW_CENTRAL_PACKAGES}[name]
    assert _top_level_names(ours) == _top_level_names(reference)
    mine, theirs = normalise(ours), normalise(reference)
    assert mine == theirs, "\n".join(["", *differences(mine, theirs)])


def test_normalise_sees_wire_changes_and_ignores_cosmetics(
    our_files: dict[str, descriptor_pb2.FileDescriptorProto],
) -> None:
    original = our_files["monitoring.proto"]
    baseline = normalise(original)
    assert "field Monitoring.Ap.action" in baseline
    assert "enum Monitoring.Interface.SpeedType" in baseline

    def mutated(path: str, change: str) -> dict[str, object]:
        copy = descriptor_pb2.FileDescriptorProto()
        copy.CopyFrom(original)
        message = next(m for m in copy.message_type if m.name == path)
        if change == "number":
            message.field[0].number = 99
        elif change == "default":
            message.field[0].default_value = "ADD"
        elif change == "label":
            message.field[0].label = FieldProto.LABEL_REQUIRED
        elif change == "packed":
            next(f for f in message.field if f.name == "allowed_vlan").options.packed = True
        elif change == "enum-order":
            values = message.enum_type[0].value
            first, second = values[0].name, values[1].name
            values[0].name, values[1].name = second, first
        elif change == "json_name":
            message.field[0].json_name = "somethingElse"
        return normalise(copy)

    for change in ("number", "default", "label", "packed", "enum-order"):
        assert mutated("Interface", change) != baseline, change
    assert mutated("Interface", "json_name") == baseline


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(("name", "package"), [*PACKAGES.items(), *NEW_CENTRAL_PACKAGES.items()])
def test_generated_module_imports(name: str, package: str) -> None:
    stem = name.removesuffix(".proto").replace("/", ".")
    module = importlib.import_module(f"central_otel.proto.{stem}_pb2")
    assert module.DESCRIPTOR.name == name
    assert module.DESCRIPTOR.package == package


def test_absent_action_is_not_update() -> None:
    wire = monitoring_pb2.Ap(serial="CNXXXX0001").SerializeToString()
    ap = monitoring_pb2.Ap.FromString(wire)
    assert ap.HasField("action") is False
    # The trap: the declared [default = UPDATE] is what an absent field reads as.
    assert ap.action == monitoring_pb2.UPDATE
    explicit = monitoring_pb2.Ap.FromString(
        monitoring_pb2.Ap(action=monitoring_pb2.UPDATE).SerializeToString()
    )
    assert explicit.HasField("action") is True
    # RogueEvent is the one message whose action defaults to ADD.
    assert monitoring_pb2.RogueEvent().action == monitoring_pb2.ADD


def test_unknown_closed_enum_value_leaves_field_unset() -> None:
    # Interface.speed is field 16, varint: tag (16 << 3 | 0) = 128 -> 0x80 0x01.
    unknown = bytes([0x80, 0x01, 9])
    interface = monitoring_pb2.Interface.FromString(unknown)
    assert interface.HasField("speed") is False
    assert interface.speed == monitoring_pb2.Interface.SPEED_INVALID
    assert interface.SerializeToString() == unknown  # kept as an unknown field

    known = monitoring_pb2.Interface.FromString(bytes([0x80, 0x01, 5]))
    assert known.HasField("speed") is True
    assert known.speed == monitoring_pb2.Interface.SPEED_10000


def test_unknown_value_in_repeated_enum_is_dropped() -> None:
    # customer_id = "c" (field 1), data_elements = 99 then STATE_AP (field 2, unpacked)
    wire = b"\x0a\x01c" + b"\x10\x63" + b"\x10\x04"
    info = monitoring_pb2.MonitoringInformation.FromString(wire)
    assert list(info.data_elements) == [monitoring_pb2.STATE_AP]


def test_missing_required_fields_parse_but_do_not_serialize() -> None:
    info = monitoring_pb2.MonitoringInformation.FromString(b"")
    assert info.HasField("customer_id") is False
    assert info.IsInitialized() is False
    with pytest.raises(EncodeError):
        info.SerializeToString()
    assert info.SerializePartialToString() == b""


def test_ip_address_family_numbers_differ_between_topics() -> None:
    assert monitoring_pb2.IpAddress.ADDR_FAMILY_INET == 2
    assert monitoring_pb2.IpAddress.ADDR_FAMILY_INET6 == 10
    for module in (apprf_pb2, audit_pb2):
        assert module.ip_address.ADDR_FAMILY_UNSPEC == 0
        assert module.ip_address.ADDR_FAMILY_INET == 1
        assert module.ip_address.ADDR_FAMILY_INET6 == 2


def test_envelope_has_no_field_number_one() -> None:
    fields = streaming_pb2.MsgProto.DESCRIPTOR.fields_by_number
    assert 1 not in fields
    assert sorted(fields) == [2, 3, 4, 5, 6]
    assert fields[3].name == "data"

    # A frame that does carry field 1 still decodes; the field is kept as unknown
    # (and re-serialised after the known fields, hence field 1 last here).
    frame = streaming_pb2.MsgProto(subject="monitoring").SerializeToString() + b"\x08\x01"
    envelope = streaming_pb2.MsgProto.FromString(frame)
    assert envelope.subject == "monitoring"
    assert envelope.SerializeToString() == frame
    # proto3 scalars have no presence: HasField cannot be used on the envelope.
    with pytest.raises(ValueError, match="subject"):
        envelope.HasField("subject")


# --------------------------------------------------------------------------- New Central


def test_new_central_operation_numbering_differs_between_ap_and_switch() -> None:
    # The AP payloads and the switch payloads number the same operations differently;
    # decoding maps each by its own enum (central_otel.new_central.translate).
    assert ap_events_pb2.EVENT_OPERATION_ADD == 1
    assert ap_events_pb2.EVENT_OPERATION_UPDATE == 2
    assert ap_events_pb2.EVENT_OPERATION_DELETE == 3
    assert sw_pb2.EVENT_OPERATION_ADD == 1
    assert sw_pb2.EVENT_OPERATION_DELETE == 2
    assert sw_pb2.EVENT_OPERATION_UPDATE == 3
    assert client_pb2.CLIENT_STATUS_CONNECTED == 2
    assert client_pb2.CLIENT_STATUS_DISCONNECTED == 3


def test_new_central_optional_fields_have_presence() -> None:
    # proto3 `optional`: an explicit zero is present, an absent field is not.
    stat = ap_events_pb2.APSystemStat.FromString(
        ap_events_pb2.APSystemStat(serial_number="CNX1", cpu_utilization=0.0).SerializeToString()
    )
    assert stat.HasField("cpu_utilization") is True
    assert stat.HasField("memory_utilization") is False
    # Plain proto3 fields (clients) have none.
    with pytest.raises(ValueError, match="tx_bytes"):
        client_pb2.ClientStats().HasField("tx_bytes")


def test_cloud_event_carries_a_typed_payload() -> None:
    stat = ap_events_pb2.APSystemStat(serial_number="CNX1", cpu_utilization=12.5)
    event = event_pb2.CloudEvent(
        id="1", type="com.hpe.greenlake.network-monitoring.v1alpha1.aps.stats.device"
    )
    event.proto_data.Pack(stat)
    wire = event.SerializeToString()
    back = event_pb2.CloudEvent.FromString(wire)
    assert back.WhichOneof("data") == "proto_data"
    assert (
        back.proto_data.type_url
        == "type.googleapis.com/network_monitoring.ap.v1alpha1.APSystemStat"
    )
    assert ap_events_pb2.APSystemStat.FromString(back.proto_data.value) == stat
