//! Meter chip families: one pure decoder per protocol, and the table of meter models.
