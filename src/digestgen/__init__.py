"""digestgen: a static site generator for a bilingual (Korean/English) weekly digest of ML papers."""

__version__ = "0.1.0"
