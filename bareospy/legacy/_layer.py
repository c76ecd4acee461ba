"""What the legacy layer does the same way for every daemon (see the package
doc): the per-instance context, the consts module, the facade over the
current module, the script adapter and installing them once per process.
Python 2.7 and 3 source."""
import functools
import sys
import types

#: CPython 2.7 (python-fd.so built for it, docs/legacy.md): a script's
#: ``str`` is bytes there, the current module's functions and packets take
#: text, so arguments and packet members the script gives are decoded.
PY2 = sys.version_info[0] < 3


class Context(object):
    """The ``context`` an old script gets and hands back: one per plugin
    instance, opaque (the plugin layer knows the calling instance itself)."""

    __slots__ = ("module_name", "__weakref__")

    def __init__(self, module_name):
        self.module_name = module_name

    def __repr__(self):
        return "<bareospy legacy context of %s>" % self.module_name


def _text(key):
    """A key of the current module's dicts (bytes) as the old API had it: a
    str (on 2.7 that is bytes already)."""
    return key.decode("ascii") if isinstance(key, bytes) and not PY2 else key


def make_consts(current, name, dict_names, limits=None):
    """The old consts module ``name``: the dicts ``dict_names`` of ``current``
    with str keys (and str values where they are bytes); ``limits`` maps a
    dict name to the highest value the old API had in it."""
    module = types.ModuleType(name)
    module.__doc__ = "The constants of the API before Bareos 20 (bareospy legacy layer)."
    for dict_name in dict_names:
        table = dict((_text(key), _text(value))
                     for key, value in getattr(current, dict_name).items())
        highest = (limits or {}).get(dict_name)
        if highest is not None:
            table = dict((key, value) for key, value in table.items() if value <= highest)
        setattr(module, dict_name, table)
    return module


try:  # compiled with the package (setup.py): keeps the script's frame innermost
    if PY2:
        from bareospy.legacy._calls import \
            dropping_context_decoding as _compiled_dropping_context
    else:
        from bareospy.legacy._calls import dropping_context as _compiled_dropping_context
except ImportError:  # the source alone (e.g. read by Python 2)
    _compiled_dropping_context = None


def _dropping_context(function):
    """``function`` as the old API called it: ``context`` first, ignored."""
    if _compiled_dropping_context is not None:
        call = _compiled_dropping_context(function)
    else:
        def call(context, *args):
            return function(*args)
    call = functools.update_wrapper(call, function)
    call.__doc__ = "%s(context, ...): %s" % (function.__name__, function.__doc__ or "")
    return call


def make_facade(current, core_functions, replacements=None):
    """The old-API module over the current module ``current``: the same
    names, the functions ``core_functions`` taking ``context`` first, and
    ``replacements`` (name: object) set over them."""
    facade = types.ModuleType(current.__name__)
    facade.__doc__ = ("%s as scripts before Bareos 20 saw it: every function takes "
                      "`context` first (bareospy legacy layer)." % current.__name__)
    for name, value in vars(current).items():
        if not name.startswith("__"):
            setattr(facade, name, value)
    for name in core_functions:
        function = getattr(current, name, None)
        if function is not None:
            setattr(facade, name, _dropping_context(function))
    for name, value in (replacements or {}).items():
        setattr(facade, name, value)
    facade.current = current
    return facade


class ScriptAdapter(types.ModuleType):
    """What the plugin layer sees as a loaded old-API script: a module whose
    functions call the script's own (looked up at each call, as the layer
    does) with the instance's context first.  A function the script does not
    define is missing here too, so the layer's checks say the same.
    ``prepare`` maps a function name to a callable applied to its first
    argument before the call (e.g. old names on a packet's members)."""

    def __init__(self, script, script_functions, prepare=None):
        types.ModuleType.__init__(self, script.__name__)
        self.script = script
        self.context = Context(script.__name__)
        script_globals = vars(script)
        for name in script_functions:
            if callable(script_globals.get(name)):
                setattr(self, name, self._forwarder(script_globals, name,
                                                    (prepare or {}).get(name)))

    def _forwarder(self, script_globals, name, prepare):
        context = self.context
        if PY2 and name in PACKET_FUNCTIONS:
            def call(first, *args):
                if prepare is not None:
                    prepare(first)
                return script_globals[name](context, TextPacket(first), *args)
        elif prepare is not None:
            def call(first, *args):
                prepare(first)
                return script_globals[name](context, first, *args)
        else:
            def call(*args):
                return script_globals[name](context, *args)
        call.__name__ = name
        return call


#: The script functions whose first argument is a packet.
PACKET_FUNCTIONS = frozenset((
    "start_backup_file", "plugin_io", "create_file", "set_file_attributes", "get_acl",
    "set_acl", "get_xattr", "set_xattr", "restore_object_data", "handle_backup_file"))


#: The packet members that hold text (the current module's str).
TEXT_MEMBERS = frozenset((
    "fname", "link", "object_name", "cmd", "ofname", "olname", "where", "regexwhere",
    "attrEX", "plugin_name"))


class TextPacket(object):
    """A packet as a CPython 2.7 script gets it: bytes (a ``str`` there) set
    on a member that holds text is decoded from UTF-8; everything else is
    the packet's own."""

    __slots__ = ("_packet",)

    def __init__(self, packet):
        object.__setattr__(self, "_packet", packet)

    def __getattr__(self, name):
        return getattr(self._packet, name)

    def __setattr__(self, name, value):
        if isinstance(value, bytes) and name in TEXT_MEMBERS:
            value = value.decode("utf-8")
        setattr(self._packet, name, value)

    def __repr__(self):
        return repr(self._packet)


_installed = {}


def install(module_name, consts_name, make):
    """Once per process and daemon module: ``make(current)`` gives (facade,
    consts, adapter factory); they replace ``module_name`` in sys.modules,
    become ``consts_name``, and the current module's script hook."""
    if module_name in _installed:
        return _installed[module_name]
    current = sys.modules[module_name]
    facade, consts, adapter = make(current)
    current._script_adapter = adapter
    sys.modules[module_name] = facade
    sys.modules[consts_name] = consts
    _installed[module_name] = facade
    return facade
