"""bareospy.options: a definition's leftover options as a dict, escapes removed."""
import pytest

from bareospy.options import parse_definition, parse_options


@pytest.mark.parametrize("options, expected", [
    ("", {}),
    ("a=1:b=2:", {"a": "1", "b": "2"}),              # as the daemon gives them: trailing ':'
    ("a=1:b=2", {"a": "1", "b": "2"}),
    ("a=1:b=x\\:y", {"a": "1", "b": "x:y"}),          # an escaped ':' stays in the value
    ("path=C\\:\\\\dir:", {"path": "C:\\dir"}),     # '\\' is one backslash
    ("a=x\\\\:b=2", {"a": "x\\", "b": "2"}),          # an escaped backslash does not escape ':'
    ("expr=a=b:", {"expr": "a=b"}),                     # the key ends at the first '='
    ("empty=:", {"empty": ""}),
    ("a=1::b=2", {"a": "1", "b": "2"}),                # empty pairs are ignored
    ("a=1:a=2", {"a": "2"}),                            # a later pair wins
    ("k\\:ey=v", {"k:ey": "v"}),                        # keys are unescaped too
    ("a=trailing\\", {"a": "trailing\\"}),             # a lone final backslash stays
])
def test_parse_options(options, expected):
    assert parse_options(options) == expected


def test_a_pair_without_a_value_is_an_error():
    with pytest.raises(ValueError, match="'flag' has no value"):
        parse_options("a=1:flag:")


def test_the_leftover_of_a_daemon_definition():
    # python3:module_name=foo:a=x\:y:b=1 reaches the script as "a=x\:y:b=1:"
    assert parse_options("a=x\\:y:b=1:") == {"a": "x:y", "b": "1"}


def test_parse_definition_splits_off_the_plugin_name():
    assert parse_definition("python3:module_path=/opt/p:module_name=foo:a=x\\:y") == (
        "python3", {"module_path": "/opt/p", "module_name": "foo", "a": "x:y"})


def test_a_definition_without_colon_is_an_error():
    with pytest.raises(ValueError, match="no ':'"):
        parse_definition("python3")
