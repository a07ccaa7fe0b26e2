//! petrel-eval (to be written).
