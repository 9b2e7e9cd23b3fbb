"""`Secret` never shows its value; `redact` hides values in texts."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
import pickle

import pytest
import yaml

from central_otel.secret import REDACTED, Secret, redact

VALUE = "s3cr3t-VALUE-0123456789"


@dataclasses.dataclass(frozen=True)
class Holder:
    name: str
    secret: Secret


def test_reveal_returns_the_value() -> None:
    assert Secret(VALUE).reveal() == VALUE


def test_repr_str_and_formatting_hide_the_value() -> None:
    secret = Secret(VALUE)
    assert repr(secret) == "Secret('<redacted>')"
    assert str(secret) == "<redacted>"
    assert f"{secret}" == "<redacted>"
    assert f"{secret!r}" == "Secret('<redacted>')"
    assert f"{secret:>12}" == "  <redacted>"
    assert "%s" % secret == "<redacted>"  # noqa: UP031 - the old operator on purpose
    assert "%r" % (secret,) == "Secret('<redacted>')"  # noqa: UP031
    assert "{}".format(secret) == "<redacted>"  # noqa: UP032
    assert str([secret, {"k": secret}]) == "[Secret('<redacted>'), {'k': Secret('<redacted>')}]"


def test_dataclasses_repr_and_asdict_hide_the_value() -> None:
    holder = Holder("a", Secret(VALUE))
    assert repr(holder) == "Holder(name='a', secret=Secret('<redacted>'))"
    as_dict = dataclasses.asdict(holder)
    assert as_dict == {"name": "a", "secret": Secret(VALUE)}
    assert VALUE not in repr(as_dict)
    assert VALUE not in str(dataclasses.astuple(holder))


def test_logging_hides_the_value(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("key %s / %r", Secret(VALUE), Secret(VALUE))
    assert caplog.text.count(REDACTED) == 2
    assert VALUE not in caplog.text


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_cannot_be_pickled(protocol: int) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Holder("a", Secret(VALUE)), protocol=protocol)


def test_not_serialisable_as_json_or_yaml() -> None:
    with pytest.raises(TypeError) as json_error:
        json.dumps({"k": Secret(VALUE)})
    assert VALUE not in str(json_error.value)
    with pytest.raises(yaml.YAMLError) as yaml_error:
        yaml.safe_dump({"k": Secret(VALUE)})
    assert VALUE not in str(yaml_error.value)
    with pytest.raises(TypeError):
        yaml.dump({"k": Secret(VALUE)})  # the unsafe dumper would pickle-reduce


def test_copies_are_the_same_object() -> None:
    secret = Secret(VALUE)
    assert copy.copy(secret) is secret
    assert copy.deepcopy(secret) is secret


def test_immutable_and_final() -> None:
    secret = Secret(VALUE)
    with pytest.raises(AttributeError):
        secret.other = 1
    with pytest.raises(AttributeError):
        del secret._Secret__value  # type: ignore[attr-defined]
    assert not hasattr(secret, "__dict__")
    with pytest.raises(TypeError):
        type("Sub", (Secret,), {})


def test_only_wraps_strings() -> None:
    with pytest.raises(TypeError, match="Secret wraps a str, not bytes"):
        Secret(b"x")  # type: ignore[arg-type]


def test_equality_and_hash_by_value() -> None:
    assert Secret(VALUE) == Secret(VALUE)
    assert Secret(VALUE) != Secret(VALUE + "x")
    assert Secret(VALUE) != VALUE
    assert hash(Secret(VALUE)) == hash(Secret(VALUE))
    assert len({Secret(VALUE), Secret(VALUE), Secret("other")}) == 2


def test_fingerprint_is_first_8_hex_digits_of_sha256() -> None:
    assert Secret("abc").fingerprint == "ba7816bf"
    assert Secret(VALUE).fingerprint == hashlib.sha256(VALUE.encode()).hexdigest()[:8]


def test_redact_replaces_every_occurrence() -> None:
    text = f"error: bad key {VALUE} (key={VALUE}), header Bearer xyz"
    assert redact(text, [Secret(VALUE), Secret("Bearer xyz")]) == (
        "error: bad key <redacted> (key=<redacted>), header <redacted>"
    )


def test_redact_longest_value_first_and_ignores_empty() -> None:
    assert redact("token=abcdef", [Secret("abc"), Secret("abcdef"), Secret("")]) == (
        "token=<redacted>"
    )
    assert redact("nothing here", []) == "nothing here"
