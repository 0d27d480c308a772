//! Reading and writing the files of a run safely: only regular files are read, links never lead
//! out of the project, and every output is written completely or not at all.

pub mod read;
pub mod walk;
pub mod write;
