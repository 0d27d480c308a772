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

#[test]
fn html_and_svg_share_one_escape() {
    use sopc::render::escape::html;
    assert_eq!(
        html("<a href='x' title=\"y\">&</a>"),
        "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
    );
    // Control characters cannot be carried by XML and are errors in HTML: they are dropped,
    // line feeds and tabs kept.
    assert_eq!(html("a\u{1}b\u{7f}c\n\td"), "abc\n\td");
}
