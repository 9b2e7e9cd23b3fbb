"""A test certificate authority for the benches' local TLS servers."""

from __future__ import annotations

from pathlib import Path


def write_test_ca(folder: Path) -> None:
    """A test CA (`ca.pem`) and a server certificate for 127.0.0.1 (`cert.pem`,
    `key.pem`) in `folder`."""
    import trustme  # a dev dependency, as the benches

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    server = ca.issue_cert("127.0.0.1")
    server.private_key_pem.write_to_path(str(folder / "key.pem"))
    server.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
