"""The SDK's version (PEP 440); the protocol it speaks is guildhall.v1."""

__version__ = "0.11.0"
