"""User-facing errors: one clear line saying what is wrong, where, and how to fix it."""


class NeuroBlendError(Exception):
    """An expected failure caused by input or environment; the CLI prints it without a traceback."""


class FileFormatError(NeuroBlendError):
    """A file that is not a valid NeuroBlend file (or not the expected kind)."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class OptionError(NeuroBlendError):
    """A failure caused by the value of one option. Its text names no command-line flag (an
    add-on user has none): ``option`` is the options field (``frames``), and the command line
    adds the field's flag (:func:`command_line_text`)."""

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(message)


def command_line_text(exc: NeuroBlendError) -> str:
    """``exc`` as the command line prints it: an OptionError ends with its flag (``(--frames)``)."""
    if isinstance(exc, OptionError):
        return f"{exc} (--{exc.option.replace('_', '-')})"
    return str(exc)
