//! The demo fleet backend. (Being written.)
