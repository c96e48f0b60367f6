"""User-facing errors: one clear line saying what is wrong, where, and how to fix it."""


class NeuroBlendError(Exception):
    """An expected failure caused by input or environment; the CLI prints it without a traceback."""


class FileFormatError(NeuroBlendError):
    """A file that is not a valid NeuroBlend file (or not the expected kind)."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
