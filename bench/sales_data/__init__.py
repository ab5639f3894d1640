"""The sales documents of bench/generate_sales.py, one module per step (run by hand, never by the tests)."""
