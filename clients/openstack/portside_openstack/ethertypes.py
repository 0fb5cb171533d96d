"""The allowed_ethertypes port attribute (Portside's port-allowed-ethertypes extension) in the
openstack CLI: shown by ``port show`` and ``port create``, changed by ``port set`` and ``port unset``.

Hooks run after the command's own work, with the command's SDK connection: ``port set`` first
does what its own options ask, then changes the ethertypes in a request of its own.
"""
from cliff import hooks
from osc_lib import exceptions

ATTRIBUTE = "allowed_ethertypes"


def _network(command):
    return command.app.client_manager.network


def _canonical(ethertype):
    text = ethertype.lower()
    try:
        if text.startswith("0x"):
            return "0x%04x" % int(text, 16)
    except ValueError:
        pass
    # The network service explains what an ethertype looks like.
    return text


def _current(port):
    value = getattr(port, ATTRIBUTE, None)
    if value is None:
        raise exceptions.CommandError(
            "the network service does not have Portside's port-allowed-ethertypes extension")
    return list(value)


def _update(command, port_name, change):
    network = _network(command)
    port = network.find_port(port_name, ignore_missing=False)
    wanted = change(_current(port))
    network.update_port(port, **{ATTRIBUTE: wanted})


class _Hook(hooks.CommandHook):
    """What a hook does not change: the parser, the help's epilog, the arguments before the command runs."""

    def get_parser(self, parser):
        return parser

    def get_epilog(self):
        return ""

    def before(self, parsed_args):
        return parsed_args


class ShowAllowedEthertypes(_Hook):
    """``port show`` and ``port create``: add the allowed_ethertypes column when the SDK did not show it."""

    def after(self, parsed_args, return_code):
        columns, data = return_code
        if ATTRIBUTE in columns or "id" not in columns:
            return return_code
        port = _network(self.cmd).get_port(data[list(columns).index("id")])
        value = getattr(port, ATTRIBUTE, None)
        if value is None:
            return return_code
        pairs = sorted(zip(list(columns) + [ATTRIBUTE], list(data) + [", ".join(value)]))
        return tuple(name for name, _ in pairs), tuple(shown for _, shown in pairs)


class SetAllowedEthertypes(_Hook):
    """``port set --allowed-ethertype 0x8847 [--no-allowed-ethertype]``."""

    def get_parser(self, parser):
        parser.add_argument(
            "--allowed-ethertype", metavar="<ethertype>", action="append", dest="allowed_ethertypes",
            help="Allow an ethertype besides ARP, IPv4 and IPv6 on this port, in hex such as 0x8847 "
                 "(Portside; repeat option to allow several)")
        parser.add_argument(
            "--no-allowed-ethertype", action="store_true", dest="no_allowed_ethertypes",
            help="Clear the port's allowed ethertypes (Portside); with --allowed-ethertype, replace them")
        return parser

    def after(self, parsed_args, return_code):
        adding = [_canonical(e) for e in parsed_args.allowed_ethertypes or []]
        if not adding and not parsed_args.no_allowed_ethertypes:
            return return_code

        def change(current):
            kept = [] if parsed_args.no_allowed_ethertypes else current
            return kept + [e for e in adding if e not in kept]

        _update(self.cmd, parsed_args.port, change)
        return return_code


class UnsetAllowedEthertypes(_Hook):
    """``port unset --allowed-ethertype 0x8847``."""

    def get_parser(self, parser):
        parser.add_argument(
            "--allowed-ethertype", metavar="<ethertype>", action="append", dest="allowed_ethertypes",
            help="Stop allowing an ethertype on this port (Portside; repeat option to remove several)")
        return parser

    def after(self, parsed_args, return_code):
        removing = [_canonical(e) for e in parsed_args.allowed_ethertypes or []]
        if not removing:
            return return_code

        def change(current):
            missing = [e for e in removing if e not in current]
            if missing:
                raise exceptions.CommandError("%s not among the port's allowed ethertypes %s"
                                              % (", ".join(missing), current))
            return [e for e in current if e not in removing]

        _update(self.cmd, parsed_args.port, change)
        return return_code
