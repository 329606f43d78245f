"""azgate's code generator: published Azure documents -> spec/ -> generated/."""
