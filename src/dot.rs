//! Graphviz DOT argument diagrams.
