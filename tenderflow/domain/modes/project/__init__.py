"""The renovation project before procurement (workflows/project.yaml): decisions and fold."""
