import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goodskin.vault import crypto

KEY_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
MASTER = bytes(range(32))


@given(plaintext=st.binary(max_size=2048), context=st.text(min_size=1, max_size=40))
def test_sealed_value_opens_to_exactly_what_was_sealed(plaintext: bytes, context: str) -> None:
    data_key = crypto.new_data_key()
    envelope = crypto.seal(plaintext, data_key=data_key, key_id=KEY_ID, context=context)
    assert crypto.sealed_key_id(envelope) == KEY_ID
    assert crypto.unseal(envelope, data_key=data_key, context=context) == plaintext
    assert len(plaintext) < 8 or plaintext not in envelope  # short strings can occur by chance


def test_same_value_seals_differently_each_time() -> None:
    data_key = crypto.new_data_key()
    first = crypto.seal(b"1990-04-25", data_key=data_key, key_id=KEY_ID, context="a.b.c")
    second = crypto.seal(b"1990-04-25", data_key=data_key, key_id=KEY_ID, context="a.b.c")
    assert first != second


def test_value_moved_to_another_field_does_not_open() -> None:
    data_key = crypto.new_data_key()
    envelope = crypto.seal(b"secret", data_key=data_key, key_id=KEY_ID, context="accounts.user.dob")
    with pytest.raises(crypto.SealBroken, match="does not open as accounts.user.other"):
        crypto.unseal(envelope, data_key=data_key, context="accounts.user.other")


def test_value_does_not_open_with_another_persons_key() -> None:
    envelope = crypto.seal(b"secret", data_key=crypto.new_data_key(), key_id=KEY_ID, context="x")
    with pytest.raises(crypto.SealBroken):
        crypto.unseal(envelope, data_key=crypto.new_data_key(), context="x")


def test_tampered_value_does_not_open() -> None:
    data_key = crypto.new_data_key()
    envelope = bytearray(crypto.seal(b"secret", data_key=data_key, key_id=KEY_ID, context="x"))
    envelope[-1] ^= 1
    with pytest.raises(crypto.SealBroken):
        crypto.unseal(bytes(envelope), data_key=data_key, context="x")


def test_wrapped_key_opens_only_with_its_master_key_and_id() -> None:
    data_key = crypto.new_data_key()
    wrapped = crypto.wrap_data_key(data_key, master_key=MASTER, key_id=KEY_ID)
    assert crypto.unwrap_data_key(wrapped, master_key=MASTER, key_id=KEY_ID) == data_key
    with pytest.raises(crypto.SealBroken):
        crypto.unwrap_data_key(wrapped, master_key=bytes(32), key_id=KEY_ID)
    with pytest.raises(crypto.SealBroken):
        crypto.unwrap_data_key(wrapped, master_key=MASTER, key_id=uuid.uuid4())


def test_master_key_fingerprint_is_stable_and_does_not_reveal_the_key() -> None:
    assert crypto.master_key_id(MASTER) == crypto.master_key_id(bytes(range(32)))
    assert crypto.master_key_id(MASTER) != crypto.master_key_id(bytes(32))
    assert len(crypto.master_key_id(MASTER)) == 16
