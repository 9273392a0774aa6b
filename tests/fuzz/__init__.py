"""Property-based (hypothesis) tests of dockgen."""
