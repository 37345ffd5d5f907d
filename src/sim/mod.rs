//! Physical simulation of an entrance: handsets as diodes with series resistance, a meter as a
//! current source with a compliance voltage and auto-ranging, the whole matrix solved
//! nonlinearly. Used for tests, benchmarks, demos and training; never by the engine.
