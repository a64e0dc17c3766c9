"""The exception hierarchy a connector should define."""
