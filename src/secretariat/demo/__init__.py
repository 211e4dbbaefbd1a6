"""Demo data: the CICA forum and the real texts of the corpus (copied here so the product runs
on its own). `load.load_demo()` is what `secretariat demo` runs."""
