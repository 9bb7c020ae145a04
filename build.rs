//! Links the binary with packed relative relocations (DT_RELR, glibc 2.36+): a position-
//! independent executable holds ~57,000 pointers that the loader relocates at every start,
//! and their table, in the classic form 24 bytes each (1.4 MB), was read page by page by
//! every one-query process. Packed, it is 18 KiB.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
}
