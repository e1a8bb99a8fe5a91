//! placeholder
use proptest as _;
#[test]
fn stub() {}
