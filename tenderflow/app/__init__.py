"""What the application services share (who may act, stream names, the dated parameters),
kept apart from :mod:`tenderflow.services` so that every service module can import it without
importing the services back."""
