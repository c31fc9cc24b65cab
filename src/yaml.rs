//! YAML reading with positions.
