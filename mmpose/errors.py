"""The exception classes of this package.

MMPose 0.x mostly rejected bad arguments with ``assert`` (so callers catch
``AssertionError``) and in a few places raised ``TypeError``, ``KeyError`` or
``NotImplementedError``. Each class here derives from the built-in class 0.x
raised at such a check *and* from the class a modern caller expects, so both
``except AssertionError`` written for 0.x and ``except ValueError`` written
today keep working, while the message names the problem.

==============================  =============================================
class                           is also a
==============================  =============================================
:class:`ArgumentError`          ``ValueError``, ``AssertionError``
:class:`ArgumentTypeError`      ``TypeError``, ``AssertionError``
:class:`UnknownNameError`       ``KeyError``, ``ValueError``, ``AssertionError``
:class:`UnsupportedError`       ``NotImplementedError``
:class:`UnknownAttributeError`  ``AttributeError``, ``ValueError``
==============================  =============================================

:class:`MissingDependencyError` (an optional package a feature needs is not
installed) is also an ``ImportError`` and an ``AssertionError``.
:class:`AbstractClassError` (an abstract 0.14 base dataset instantiated
itself, which 0.29 replaced) is also an ``ImportError`` and a ``TypeError``.
"""


class MMPoseError(Exception):
    """Base class of every error this package raises on purpose."""

    def __str__(self) -> str:
        # KeyError quotes its message; keep every message plain.
        return ' '.join(str(arg) for arg in self.args)


class ArgumentError(MMPoseError, ValueError, AssertionError):
    """An argument or input has a wrong value or shape (0.x: ``assert``)."""


class ArgumentTypeError(MMPoseError, TypeError, AssertionError):
    """An argument has a wrong type (0.x: ``TypeError`` or an ``assert``
    on ``isinstance``)."""


class UnknownNameError(MMPoseError, KeyError, ValueError, AssertionError):
    """A name (architecture, dataset, mode, key) is not one of the known
    ones (0.x: ``KeyError`` or an ``assert ... in``)."""


class UnsupportedError(MMPoseError, NotImplementedError):
    """A valid request this code path does not implement (0.x:
    ``NotImplementedError``)."""


class UnknownAttributeError(MMPoseError, AttributeError, ValueError):
    """A named attribute or sub-module (e.g. a layer name) does not exist
    (0.x: ``AttributeError``)."""


class MissingDependencyError(MMPoseError, ImportError, AssertionError):
    """An optional package a feature needs is not installed (0.x: an
    ``assert has_<package>``)."""


class AbstractClassError(MMPoseError, ImportError, TypeError):
    """An abstract 0.14 base class is instantiated: the base itself, or a
    subclass lacking one of its abstract methods (0.14: the ``TypeError``
    of an abstract class; 0.29: ``ImportError``, the base having been
    replaced by the ``Kpt*`` bases)."""


__all__ = ['MMPoseError', 'ArgumentError', 'ArgumentTypeError',
           'UnknownNameError', 'UnsupportedError', 'UnknownAttributeError',
           'MissingDependencyError', 'AbstractClassError']
