//! One copy of each helper: the front ends and the stages share them, so they agree.

use sopc::syntax;

#[test]
fn a_misspelt_keyword_is_suggested_whatever_its_case() {
    // Syntax errors use the same did-you-mean as names and rule names: case is ignored.
    let err = syntax::parse("role r { SKILS \"x\" }").unwrap_err();
    assert_eq!(err.help().as_deref(), Some("did you mean `skills`?"));
    assert_eq!(
        sopc::diag::did_you_mean("SKILS", ["skills", "responsibilities"]).as_deref(),
        Some("skills")
    );
}
