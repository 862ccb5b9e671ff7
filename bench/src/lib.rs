//! Criterion micro-benchmarks of Lavka's pure rules; they live in `benches/`.
//! Cargo needs a library or binary in every package, so this one is empty.
