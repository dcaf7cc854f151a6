// The migrations are embedded in the binary (`embed_migrations!`), which
// Cargo cannot see: without this, a new migration folder is left out of
// every incremental build until some Rust file changes.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
