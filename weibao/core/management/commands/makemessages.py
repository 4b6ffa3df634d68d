"""Django's makemessages, knowing the project's plural keyword: the first two arguments of
`weibao.kit.messages.plural_message` are a message's singular and plural ids, kept as one
catalogue entry with its forms."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=plural_message:1,2"]
