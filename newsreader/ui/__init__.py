"""The Qt window: adapts the core `Library` to widgets and never holds logic the CLI would need."""
