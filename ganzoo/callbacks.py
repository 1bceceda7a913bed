"""Training callbacks: sample grids (being written)."""
