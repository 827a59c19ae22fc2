//! How the `prakat` binary is linked.
//!
//! On Linux with glibc the daemon is linked as a fixed-address executable (`-no-pie`): a
//! position-independent one carries 160,000 relocations (3.8 MB) that the loader reads at every
//! start and applies by writing to 3.2 MB of otherwise shared pages, which then stay in the
//! daemon's memory for good: an idle `prakat serve` holds 6 MB less. The shared libraries, the
//! heap and the stacks are still placed at random addresses.
//!
//! `scripts/release-build.sh` goes further for a release: it links the functions a starting
//! daemon runs first and together (README, "Memory").

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bin=prakat=-no-pie");
    }
}
