//! Parsing tests on the seed articles and on hand-made broken input.

use super::*;

fn origin(slug: &str, folder: Option<&str>) -> Origin {
    Origin {
        slug: slug.to_string(),
        folder_locale: folder.map(|f| f.parse().unwrap()),
    }
}

fn parse(text: &str) -> ParsedArticle {
    parse_article(text.as_bytes(), &origin("test", Some("sv-SE"))).unwrap()
}

const SV_SEED: &str = include_str!("../../seeds/sv-SE/how-to-close-your-account.md");

#[test]
fn seed_article_fields() {
    let parsed = parse_article(
        SV_SEED.as_bytes(),
        &origin("how-to-close-your-account", None),
    )
    .unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let a = parsed.article;
    assert_eq!(a.locale.code(), "sv-SE");
    assert_eq!(a.title.text, "Så stänger du ditt konto");
    assert_eq!(a.title.source.as_deref(), Some("How to close your account"));
    assert_eq!(a.meta.translation_type.as_deref(), Some("HT"));
    assert_eq!(a.meta.asset_ids, ["9002317", "4502"]);
    assert_eq!(a.meta.topic.as_deref(), Some("article"));
}

#[test]
fn seed_article_steps_with_source() {
    let a = parse(SV_SEED).article;
    let steps: Vec<_> = a.steps().map(|s| (s.n, s.text.text.as_str())).collect();
    assert_eq!(
        steps,
        [
            (1, "Ta bort användare."),
            (2, "Avbryt alla aktiva prenumerationer."),
            (3, "Ta bort alla inaktiverade prenumerationer."),
            (4, "Inaktivera multifaktorautentisering."),
            (5, "Radera mappen i Azure Active Directory."),
        ]
    );
    let step4 = a.steps().nth(3).unwrap();
    assert_eq!(
        step4.text.source.as_deref(),
        Some("Disable multi-factor authentication.")
    );
}

#[test]
fn seed_article_has_no_markup_in_text_and_keeps_links() {
    let a = parse(SV_SEED).article;
    for b in &a.blocks {
        for t in [Some(&b.text.text), b.text.source.as_ref()]
            .into_iter()
            .flatten()
        {
            assert!(!t.contains('<') && !t.contains('>'), "markup in {t:?}");
            assert!(!t.contains("](http"), "link syntax in {t:?}");
        }
    }
    let last = a.blocks.last().unwrap();
    assert_eq!(
        last.text.text,
        "Fullständiga anvisningar finns i supportartikeln Stäng ditt konto."
    );
    assert_eq!(last.links.len(), 1);
    assert_eq!(last.links[0].text, "Stäng ditt konto");
    assert_eq!(
        last.links[0].url,
        "https://docs.microsoft.com/microsoft-365/commerce/close-your-account"
    );
}

#[test]
fn plain_format_has_no_source() {
    let text = "---\ntitle: Kā slēgt kontu\nms.contentlocale: lv-LV\n---\n# <a name=\"x\"></a>Kā slēgt kontu\n\n1. Izdzēsiet lietotājus.\n2. Atceliet abonementus.\n";
    let a = parse(text).article;
    assert_eq!(a.locale.code(), "lv-LV");
    assert!(!a.has_source());
    assert_eq!(a.steps().count(), 2);
    assert_eq!(a.steps().nth(1).unwrap().text.text, "Atceliet abonementus.");
}

#[test]
fn repeated_one_numbers_read_as_the_reader_sees_them() {
    let a = parse("# T\n\n1. a\n1. b\n1. c\n").article;
    let ns: Vec<_> = a.steps().map(|s| s.n).collect();
    assert_eq!(ns, [1, 2, 3]);
    let a = parse("# T\n\n3. a\n1. b\n").article;
    let ns: Vec<_> = a.steps().map(|s| s.n).collect();
    assert_eq!(ns, [3, 4]);
}

#[test]
fn a_step_holds_its_nested_list_and_continuation() {
    let text = "# T\n\n1. Open settings.\n\n   Then look.\n\n   - first\n   - second\n2. Done.\n";
    let a = parse(text).article;
    let steps: Vec<_> = a.steps().map(|s| s.text.text.clone()).collect();
    assert_eq!(steps, ["Open settings. Then look. first second", "Done."]);
    // The nested items are blocks of their own, after their step.
    let kinds: Vec<_> = a.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Heading { level: 1 },
            BlockKind::Step { n: 1 },
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::Step { n: 2 }
        ]
    );
}

#[test]
fn step_number_inside_a_segment() {
    let text = "# T\n\n<span data-ttu-id=\"a-1\">4. Kör verktyget.</span><span class=\"sxs-lookup\"><span data-stu-id=\"a-1\">4.Run the tool.</span></span>\n";
    let a = parse(text).article;
    let step = a.steps().next().expect("a step");
    assert_eq!(step.n, 4);
    assert_eq!(step.text.text, "Kör verktyget.");
    assert_eq!(step.text.source.as_deref(), Some("Run the tool."));
}

#[test]
fn notes_entities_breaks_and_images_leave_no_markup() {
    let text = "# T\n\n> [!NOTE]\n> Fish &amp; chips<br>today ![logo](x.png) <img src=\"a.png\"> for <email address>.\n";
    let a = parse(text).article;
    let note = &a.blocks[1];
    assert_eq!(note.kind, BlockKind::Note);
    assert_eq!(note.text.text, "Fish & chips today for <email address>.");
}

#[test]
fn stray_and_unclosed_spans_are_reported_not_fatal() {
    let text = "# T\n\n<span data-ttu-id=\"a\">Ett</span></span><span class=\"sxs-lookup\"><span data-stu-id=\"a\">One</span></span>\n\n<span data-ttu-id=\"b\">Två\n\nTre\n";
    let parsed = parse(text);
    assert!(
        parsed.warnings.iter().any(|w| w.contains("stray")),
        "{:?}",
        parsed.warnings
    );
    assert!(
        parsed.warnings.iter().any(|w| w.contains("unclosed")),
        "{:?}",
        parsed.warnings
    );
    let texts: Vec<_> = parsed
        .article
        .blocks
        .iter()
        .map(|b| b.text.text.as_str())
        .collect();
    assert_eq!(texts, ["T", "Ett", "Två", "Tre"]);
}

#[test]
fn empty_translation_falls_back_to_the_source() {
    let text = "# T\n\n<span data-ttu-id=\"a\"></span><span class=\"sxs-lookup\"><span data-stu-id=\"a\">Untranslated.</span></span> <span data-ttu-id=\"b\">Översatt.</span><span class=\"sxs-lookup\"><span data-stu-id=\"b\">Translated.</span></span>\n";
    let parsed = parse(text);
    assert!(parsed
        .warnings
        .iter()
        .any(|w| w.contains("empty translation")));
    let p = &parsed.article.blocks[1];
    assert_eq!(p.text.text, "Untranslated. Översatt.");
    assert_eq!(p.text.source.as_deref(), Some("Untranslated. Translated."));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", SV_SEED.replace('\n', "\r\n"));
    let parsed = parse(&text);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.article.title.text, "Så stänger du ditt konto");
    assert_eq!(parsed.article.steps().count(), 5);
}

#[test]
fn invalid_utf8_is_replaced_and_reported() {
    let mut bytes = b"---\ntitle: Konto\n---\n# Konto \xff\xfe st\xe4nga\n".to_vec();
    bytes.extend_from_slice("\nText.\n".as_bytes());
    let parsed = parse_article(&bytes, &origin("x", Some("sv-SE"))).unwrap();
    assert!(parsed.warnings[0].starts_with("invalid UTF-8 at byte"));
    assert!(parsed.article.blocks[0].text.text.contains('\u{fffd}'));
}

#[test]
fn unreadable_files() {
    let o = origin("x", Some("sv-SE"));
    assert_eq!(parse_article(b"", &o).unwrap_err(), Unreadable::Empty);
    assert_eq!(parse_article(b" \n\n ", &o).unwrap_err(), Unreadable::Empty);
    assert_eq!(
        parse_article(b"\x00\x01PNG", &o).unwrap_err(),
        Unreadable::Binary
    );
    let big = vec![b'a'; MAX_ARTICLE_BYTES as usize + 1];
    assert!(matches!(
        parse_article(&big, &o),
        Err(Unreadable::TooLarge(_))
    ));
}

#[test]
fn no_front_matter_uses_the_heading_and_the_folder() {
    let parsed = parse_article(b"# Rubrik\n\nText.\n", &origin("x", Some("sv-SE"))).unwrap();
    assert_eq!(parsed.warnings, ["no front matter"]);
    assert_eq!(parsed.article.title.text, "Rubrik");
    assert_eq!(parsed.article.locale.code(), "sv-SE");
}

#[test]
fn locale_is_detected_when_nothing_names_it() {
    let text = "# Så stänger du ditt konto\n\nNär du avslutar kontot hos Microsoft raderas all information som är kopplad till ditt konto.\n";
    let parsed = parse_article(text.as_bytes(), &origin("x", None)).unwrap();
    assert_eq!(parsed.article.locale.code(), "sv-SE");
    assert!(parsed.warnings.iter().any(|w| w.contains("detected sv-SE")));
}

#[test]
fn fingerprints_tell_duplicates_apart_from_other_articles() {
    let a = parse(SV_SEED).article;
    let mut b = a.clone();
    b.slug = "copy".into();
    b.title.text = "Another title".into();
    assert_eq!(a.content_fingerprint(), b.content_fingerprint());
    // Case and white space do not tell articles apart; words do.
    let mut shouting = a.clone();
    for block in &mut shouting.blocks {
        block.text.text = format!(" {}  ", block.text.text.to_uppercase().replace(' ', " \t"));
    }
    assert_eq!(a.content_fingerprint(), shouting.content_fingerprint());
    shouting.blocks[1].text.text.push_str(" ÄNDRAT");
    assert_ne!(a.content_fingerprint(), shouting.content_fingerprint());
    b.blocks.pop();
    assert_ne!(a.content_fingerprint(), b.content_fingerprint());
    let short = parse("# T\n\nKort text.\n").article;
    assert_eq!(
        short.content_fingerprint(),
        0,
        "too short to be anyone's duplicate"
    );
}

#[test]
fn source_fingerprints_are_shared_by_translations_of_one_english_text() {
    let sv = parse(SV_SEED).article;
    assert!(sv.has_source());
    let fingerprint = sv.source_fingerprint();
    assert!(fingerprint.is_some());
    // Another language's translation of the same English text.
    let mut other = sv.clone();
    other.title.text = "Kā slēgt kontu".into();
    for block in &mut other.blocks {
        block.text.text = block.text.text.to_uppercase();
    }
    assert_eq!(other.source_fingerprint(), fingerprint);
    // Another slug, or another English text, is another source.
    let mut renamed = sv.clone();
    renamed.slug = "copy".into();
    assert_ne!(renamed.source_fingerprint(), fingerprint);
    let mut edited = sv.clone();
    let with_source = edited
        .blocks
        .iter()
        .position(|b| b.text.source.is_some())
        .unwrap();
    edited.blocks[with_source].text.source = Some("Edited.".into());
    assert_ne!(edited.source_fingerprint(), fingerprint);
    // A source moved to the next block is another text, too.
    let mut moved = sv.clone();
    let source = moved.blocks[with_source].text.source.take();
    moved.blocks[with_source + 1].text.source = source;
    assert_ne!(moved.source_fingerprint(), fingerprint);
    let plain = parse("# T\n\nText utan källa.\n").article;
    assert_eq!(plain.source_fingerprint(), None);
}

#[test]
fn article_round_trips_through_json() {
    let a = parse(SV_SEED).article;
    let json = serde_json::to_string(&a).unwrap();
    let back: Article = serde_json::from_str(&json).unwrap();
    assert_eq!(a, back);
}
