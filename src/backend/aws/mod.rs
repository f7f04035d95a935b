//! The AWS SDK backend. (Being written.)
