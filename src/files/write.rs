//! Writing output files: whole or not at all, never over what sopc did not write.
