"""Load benchmarks: standalone scripts run by make targets, never collected by pytest."""
