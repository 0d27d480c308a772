//! Reading input files: regular files only, links confined to the project root.
