"""tenderflow: auditable procurement of social capital for old residential community renovation."""

__version__ = "0.1.0"
