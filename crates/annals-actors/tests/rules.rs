//! One test per resolution rule, on a small lexicon written here, so that each rule is
//! checked independently of the shipped lexicon data.

use annals_actors::{ActorCode, Date, Lexicon};

fn lexicon() -> Lexicon {
    let mut lex = Lexicon::default();
    let files = [
        (
            "countries.tsv",
            "# code\tname\tnames\tadjectives\tseats\n\
             USA\tUnited States\tUnited States|U.S.|US|America\tAmerican|Americans|U.S.\tWashington|White House\n\
             ISR\tIsrael\tIsrael\tIsraeli|Israelis\tJerusalem\n\
             EGY\tEgypt\tEgypt\tEgyptian|Egyptians\tCairo\n\
             RUS\tRussia\tRussia\tRussian|Russians\tMoscow|Kremlin\n\
             KAZ\tKazakhstan\tKazakhstan\tKazakh|Kazakhs\tAstana\n\
             HUN\tHungary\tHungary\tHungarian|Hungarians\tBudapest\n\
             ROU\tRomania\tRomania\tRomanian|Romanians\tBucharest\n\
             PSE\tPalestine\tPalestine|Gaza\tPalestinian|Palestinians\tRamallah\n",
        ),
        (
            "organizations.tsv",
            "# org\tnames\tcountry\tsector\n\
             UN\tUnited Nations|U.N.|UN\t\tIGO\n\
             Hamas\tHamas\tPSE\tREB\n\
             EU\tEuropean Union|EU\t\tIGO\n",
        ),
        (
            "agents.tsv",
            "# names\tsector\n\
             officials|official\tGOV\n\
             mediators|mediator\tGOV\n\
             soldiers|soldier|troops\tMIL\n\
             combat units\tMIL\n\
             legislators|lawmakers\tLEG\n",
        ),
        (
            "titles.tsv",
            "# names\tsector\tkind\n\
             president|President\tGOV\ttitle\n\
             prime minister\tGOV\ttitle\n\
             secretary of state\tGOV\ttitle\n\
             aid chief\tGOV\ttitle\n\
             governor\tGOV\ttitle\n\
             former|ex-\tELI\tmodifier\n\
             opposition\tOPP\tmodifier\n",
        ),
        (
            "people.tsv",
            "# name\taliases\tcountry\tsector\trole\tfrom\tuntil\n\
             Antony Blinken\tTony Blinken\tUSA\tGOV\tSecretary of State\t2021-01-26\t2025-01-20\n\
             Nursultan Nazarbayev\t\tKAZ\tGOV\tPresident\t1990-04-24\t2019-03-20\n\
             Martin Griffiths\t\t\tIGO\tUN Emergency Relief Coordinator\t2021-07-19\t2024-06-30\n",
        ),
    ];
    for (name, text) in files {
        lex.add_file(name, text).expect("test lexicon");
    }
    lex
}

fn day(s: &str) -> Option<Date> {
    Date::parse(s).map(|d| d.0)
}

fn code(country: Option<&str>, sector: Option<&str>, org: Option<&str>, name: Option<&str>) -> ActorCode {
    let s = |v: Option<&str>| v.map(String::from);
    ActorCode { country: s(country), sector: s(sector), org: s(org), name: s(name) }
}

#[test]
fn title_and_known_name() {
    let got = lexicon().resolve("U.S. Secretary of State Antony Blinken", day("2024-05-01"), None);
    assert_eq!(got, code(Some("USA"), Some("GOV"), None, Some("Antony Blinken")));
}

#[test]
fn title_and_unknown_name() {
    let got = lexicon().resolve("Egyptian President Abdel Fattah al-Sisi", day("2024-05-01"), None);
    assert_eq!(got.country.as_deref(), Some("EGY"));
    assert_eq!(got.sector.as_deref(), Some("GOV"));
    let got = lexicon().resolve("Governor Vadim Shumkov", None, None);
    assert_eq!(got, code(None, Some("GOV"), None, Some("Vadim Shumkov")));
}

#[test]
fn nationality_and_title_or_noun() {
    assert_eq!(lexicon().resolve("Egyptian mediators", None, None), code(Some("EGY"), Some("GOV"), None, None));
    assert_eq!(lexicon().resolve("the Israeli prime minister", None, None), code(Some("ISR"), Some("GOV"), None, None));
    assert_eq!(lexicon().resolve("Russian soldiers", None, None), code(Some("RUS"), Some("MIL"), None, None));
}

#[test]
fn country_alone_has_no_sector() {
    assert_eq!(lexicon().resolve("Israel", None, None), code(Some("ISR"), None, None, None));
    assert_eq!(lexicon().resolve("Palestinians", None, None), code(Some("PSE"), None, None, None));
}

#[test]
fn seat_of_power_is_the_government() {
    assert_eq!(lexicon().resolve("the Kremlin", None, None), code(Some("RUS"), Some("GOV"), None, None));
    assert_eq!(lexicon().resolve("Washington", None, None), code(Some("USA"), Some("GOV"), None, None));
}

#[test]
fn former_official_is_no_longer_government() {
    let got = lexicon().resolve("former President Nursultan Nazarbayev", day("2022-06-01"), None);
    assert_eq!(got, code(Some("KAZ"), Some("ELI"), None, Some("Nursultan Nazarbayev")));
    let got = lexicon().resolve("a former official", None, None);
    assert_eq!(got.sector.as_deref(), Some("ELI"));
}

#[test]
fn dated_role_before_during_and_after() {
    let lex = lexicon();
    assert_eq!(lex.resolve("Nursultan Nazarbayev", day("2010-01-01"), None).sector.as_deref(), Some("GOV"));
    // After the role: a former official of the same country.
    let after = lex.resolve("Nursultan Nazarbayev", day("2020-01-01"), None);
    assert_eq!((after.country.as_deref(), after.sector.as_deref()), (Some("KAZ"), Some("ELI")));
    // Before any known role: the country, no sector.
    let before = lex.resolve("Antony Blinken", day("2015-01-01"), None);
    assert_eq!((before.country.as_deref(), before.sector.as_deref()), (Some("USA"), None));
    // On the last day the role still holds; the day after it does not.
    assert_eq!(lex.resolve("Tony Blinken", day("2025-01-20"), None).sector.as_deref(), Some("GOV"));
    assert_eq!(lex.resolve("Tony Blinken", day("2025-01-21"), None).sector.as_deref(), Some("ELI"));
}

#[test]
fn organization_member_takes_the_organization_sector() {
    let got = lexicon().resolve("UN aid chief Martin Griffiths", day("2024-05-01"), None);
    assert_eq!(got, code(None, Some("IGO"), Some("UN"), Some("Martin Griffiths")));
    let got = lexicon().resolve("Hamas officials", None, None);
    assert_eq!(got, code(Some("PSE"), Some("REB"), Some("Hamas"), None));
    // A specific noun keeps its own sector.
    let got = lexicon().resolve("European Union legislators", None, None);
    assert_eq!(got, code(None, Some("LEG"), Some("EU"), None));
    // Fighting units of a non-state armed group are that group.
    let got = lexicon().resolve("Hamas combat units", None, None);
    assert_eq!(got, code(Some("PSE"), Some("REB"), Some("Hamas"), None));
}

#[test]
fn possessive_owner_gives_the_country() {
    let got = lexicon().resolve("Israel's soldiers", None, None);
    assert_eq!(got, code(Some("ISR"), Some("MIL"), None, None));
    let got = lexicon().resolve("Israel\u{2019}s", None, None);
    assert_eq!(got, code(Some("ISR"), None, None, None));
    let got = lexicon().resolve("Hamas\u{2019}", None, None);
    assert_eq!(got, code(Some("PSE"), Some("REB"), Some("Hamas"), None));
}

#[test]
fn acronyms_match_only_in_capitals() {
    assert_eq!(lexicon().resolve("US", None, None).country.as_deref(), Some("USA"));
    assert!(lexicon().resolve("us", None, None).is_empty());
}

#[test]
fn prepositional_phrase_supplies_a_missing_country() {
    let got = lexicon().resolve("officials in Cairo", None, None);
    assert_eq!(got, code(Some("EGY"), Some("GOV"), None, None));
    let got = lexicon().resolve("several of the soldiers from Israel", None, None);
    assert_eq!(got, code(Some("ISR"), Some("MIL"), None, None));
}

#[test]
fn context_supplies_a_missing_country() {
    let got = lexicon().resolve("officials", None, Some("Russia"));
    assert_eq!(got, code(Some("RUS"), Some("GOV"), None, None));
}

#[test]
fn compound_actors_give_one_code_each() {
    let got = lexicon().resolve_compound("Hungarian and Romanian officials", None);
    assert_eq!(got, [code(Some("HUN"), Some("GOV"), None, None), code(Some("ROU"), Some("GOV"), None, None)]);
    let got = lexicon().resolve_compound("Israel and Hamas", None);
    assert_eq!(got, [code(Some("ISR"), None, None, None), code(Some("PSE"), Some("REB"), Some("Hamas"), None)]);
    let got = lexicon().resolve_compound("Russian soldiers", None);
    assert_eq!(got, [code(Some("RUS"), Some("MIL"), None, None)]);
}

#[test]
fn no_actor_gives_all_null() {
    let got = lexicon().resolve("the weather", None, None);
    assert!(got.is_empty());
    assert_eq!(got.to_json(), r#"{"country":null,"sector":null,"org":null,"name":null}"#);
}

#[test]
fn a_users_later_file_wins_and_bad_lines_name_file_and_line() {
    let mut lex = lexicon();
    lex.add_file("user/agents.tsv", "soldiers\tREB\n").unwrap();
    assert_eq!(lex.resolve("soldiers", None, None).sector.as_deref(), Some("REB"));
    let err = lex.add_file("user/people.tsv", "# header\nJane Doe\t\tUSA\tGOV\tSenator\t2020-13-01\t\n").unwrap_err();
    assert_eq!((err.file.as_str(), err.line), ("user/people.tsv", 2));
    assert!(err.to_string().starts_with("user/people.tsv:2: "), "{err}");
    let err = lex.add_file("user/agents.tsv", "soldiers MIL\n").unwrap_err();
    assert_eq!(err.line, 1);
    let err = lex.add_file("user/agents.tsv", "soldiers\tmil\n").unwrap_err();
    assert!(err.message.contains("sector"), "{err}");
}

/// Tags a text crudely for the document tests: capitalized words are PROPN, pronouns
/// PRON, the listed verbs VERB, the rest NOUN; one sentence per line.
fn tagged(text: &str) -> Vec<Vec<annals_actors::TaggedToken<'_>>> {
    let verbs = ["met", "said", "visited", "attacked", "warned", "urged", "left", "fought"];
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let tokens = annals_text::tokenize(line);
        out.push(
            tokens
                .iter()
                .map(|t| {
                    let form = &line[t.start..t.end];
                    let upos = if ["he", "his", "him", "she", "her"].contains(&form.to_lowercase().as_str()) {
                        "PRON"
                    } else if verbs.contains(&form) {
                        "VERB"
                    } else if form.chars().next().is_some_and(char::is_uppercase) {
                        "PROPN"
                    } else {
                        "NOUN"
                    };
                    annals_actors::TaggedToken { form, start: offset + t.start, end: offset + t.end, upos, deprel: "" }
                })
                .collect(),
        );
        offset += line.len() + 1;
    }
    out
}

#[test]
fn coreference_by_surname_keeps_the_introduced_code() {
    let lex = lexicon();
    let text = "Egyptian President Abdel Fattah al-Sisi met officials .\nSisi said the talks would go on .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), day("2024-05-01"));
    let sisi: Vec<_> = mentions.iter().filter(|m| m.code.name.as_deref() == Some("Abdel Fattah al-Sisi")).collect();
    assert_eq!(sisi.len(), 2, "{mentions:#?}");
    assert_eq!(sisi[1].rule, annals_actors::MentionRule::Surname);
    assert_eq!((sisi[1].code.country.as_deref(), sisi[1].code.sector.as_deref()), (Some("EGY"), Some("GOV")));
    assert_eq!(&text[sisi[1].start..sisi[1].end], "Sisi");
}

#[test]
fn pronoun_resolves_to_the_last_person_when_unambiguous() {
    let lex = lexicon();
    let text = "U.S. Secretary of State Antony Blinken visited Cairo .\nHe urged Hamas to accept the deal .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), day("2024-05-01"));
    let he = mentions.iter().find(|m| m.rule == annals_actors::MentionRule::Pronoun).expect("pronoun resolved");
    assert_eq!(he.code.name.as_deref(), Some("Antony Blinken"));
    // Two people in view: the pronoun stays unresolved.
    let text = "Antony Blinken met Governor Vadim Shumkov .\nHe said nothing .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), day("2024-05-01"));
    assert!(mentions.iter().all(|m| m.rule != annals_actors::MentionRule::Pronoun), "{mentions:#?}");
}

#[test]
fn the_group_resolves_to_the_last_organization() {
    let lex = lexicon();
    let text = "Hamas fighters attacked a post .\nThe soldiers fought the group for hours .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), None);
    let group = mentions.iter().find(|m| m.rule == annals_actors::MentionRule::Anaphor).expect("anaphor resolved");
    assert_eq!(group.code.org.as_deref(), Some("Hamas"));
}

#[test]
fn possessive_mentions_in_running_text() {
    let lex = lexicon();
    let text = "Israel\u{2019}s offensive worried Egyptian mediators .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), None);
    let texts: Vec<&str> = mentions.iter().map(|m| &text[m.start..m.end]).collect();
    assert_eq!(texts, ["Israel\u{2019}s", "Egyptian mediators"]);
    assert_eq!(mentions[0].code.country.as_deref(), Some("ISR"));
}

#[test]
fn a_bare_surname_names_the_one_office_holder_of_that_name() {
    let lex = lexicon();
    let got = lex.resolve("Blinken", day("2024-05-01"), None);
    assert_eq!(got, code(Some("USA"), Some("GOV"), None, Some("Antony Blinken")));
    // Out of office, a bare surname is too weak to name the person.
    assert!(lex.resolve("Blinken", day("2015-05-01"), None).is_empty());
    assert!(lex.resolve("Blinken", None, None).is_empty());
}

#[test]
fn compound_adjectives_share_the_head_in_running_text() {
    let lex = lexicon();
    let text = "Hungarian and Romanian officials met .";
    let mut sents = tagged(text);
    // The crude tagger calls capitalized words PROPN; these are adjectives.
    for t in sents[0].iter_mut().take(3) {
        if t.form != "and" {
            t.upos = "ADJ";
        }
    }
    let mentions = annals_actors::find_mentions(&lex, &sents, None);
    let codes: Vec<_> = mentions.iter().map(|m| (m.code.country.as_deref(), m.code.sector.as_deref())).collect();
    assert_eq!(codes, [(Some("HUN"), Some("GOV")), (Some("ROU"), Some("GOV"))], "{mentions:#?}");
}

#[test]
fn the_group_skips_governments_and_international_bodies() {
    let lex = lexicon();
    let text = "Hamas fighters attacked a UN convoy .\nThe group said the convoy carried soldiers .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), None);
    let group = mentions.iter().find(|m| m.rule == annals_actors::MentionRule::Anaphor).expect("anaphor resolved");
    assert_eq!(group.code.org.as_deref(), Some("Hamas"), "{mentions:#?}");
}

#[test]
fn lowercase_proper_names_in_running_text_are_common_words() {
    let lex = lexicon();
    let text = "Workers ate turkey , not hamas .\nThe Hamas leaders met in Egypt .";
    let mut lexicon_with_turkey = lex.clone();
    lexicon_with_turkey.add_file("countries.tsv", "TUR\tTurkey\tTurkey\tTurkish\tAnkara\n").expect("extra country");
    let mentions = annals_actors::find_mentions(&lexicon_with_turkey, &tagged(text), None);
    let texts: Vec<&str> = mentions.iter().map(|m| &text[m.start..m.end]).collect();
    assert_eq!(texts, ["Hamas", "Egypt"], "{mentions:#?}");
}

#[test]
fn pronouns_agree_in_gender_with_their_antecedent() {
    let lex = lexicon();
    // "She" cannot be Antony Blinken: it goes to the one woman in view.
    let text = "Antony Blinken met Governor Maria Lopez .\nShe said the talks went well .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), day("2024-05-01"));
    let she = mentions.iter().find(|m| m.rule == annals_actors::MentionRule::Pronoun).expect("pronoun resolved");
    assert_eq!(she.code.name.as_deref(), Some("Maria Lopez"), "{mentions:#?}");
    // "He" sees two men: unresolved.
    let text = "Antony Blinken met Governor Vadim Shumkov .\nHe said nothing .";
    let mentions = annals_actors::find_mentions(&lex, &tagged(text), day("2024-05-01"));
    assert!(mentions.iter().all(|m| m.rule != annals_actors::MentionRule::Pronoun), "{mentions:#?}");
}
