//! Building batches: the building plan, a run over its entrances, progress via callbacks.
