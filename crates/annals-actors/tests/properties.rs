//! Property tests: resolving arbitrary text, and reading arbitrary lexicon files,
//! never panics; mention spans always point into the text.

use annals_actors::{Date, Lexicon, TaggedToken};
use proptest::prelude::*;

proptest! {
    #[test]
    fn resolving_arbitrary_text_never_panics(s in "\\PC{0,120}", ctx in "\\PC{0,40}") {
        let lex = Lexicon::builtin().expect("built-in lexicons");
        let _ = lex.resolve(&s, Date::new(2020, 2, 29), Some(&ctx));
        let _ = lex.resolve_compound(&s, None);
    }

    #[test]
    fn arbitrary_lexicon_files_give_errors_not_panics(s in "[\\PC\\t\\n|#]{0,200}") {
        let mut lex = Lexicon::default();
        for name in ["countries.tsv", "organizations.tsv", "agents.tsv", "titles.tsv", "people.tsv"] {
            let _ = lex.add_file(name, &s);
        }
    }

    #[test]
    fn mention_spans_point_into_the_text(words in proptest::collection::vec("[A-Za-z'’-]{1,9}|,|\\.", 0..40)) {
        let lex = Lexicon::builtin().expect("built-in lexicons");
        let text = words.join(" ");
        let tokens = annals_text::tokenize(&text);
        let sentence: Vec<TaggedToken<'_>> = tokens
            .iter()
            .map(|t| TaggedToken {
                form: &text[t.start..t.end],
                start: t.start,
                end: t.end,
                upos: if text[t.start..].starts_with(char::is_uppercase) { "PROPN" } else { "NOUN" },
                deprel: "",
            })
            .collect();
        for m in annals_actors::find_mentions(&lex, &[sentence], None) {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.get(m.start..m.end).is_some());
        }
    }
}
