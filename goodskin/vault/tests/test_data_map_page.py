"""The staff data map fits a 1280 px screen: long dotted names wrap after their dots, and the
tables scroll in their own focusable box rather than widening the page."""

from __future__ import annotations

from goodskin.vault.templatetags.data_map import breakable


def test_long_names_may_wrap_after_dots_underscores_and_commas_only() -> None:
    assert breakable("user.contact.email") == "user.<wbr>contact.<wbr>email"
    assert breakable("date_of_birth_sealed") == "date_<wbr>of_<wbr>birth_<wbr>sealed"
    assert breakable("a, b") == "a,<wbr> b"


def test_what_it_wraps_is_escaped_first() -> None:
    assert breakable("<script>x.y</script>") == "&lt;script&gt;x.<wbr>y&lt;/script&gt;"
