//! petrel-nlp (to be written).
