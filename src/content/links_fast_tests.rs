//! Oracle tests of the link fast path ([`super::links_fast`]) against the full parse
//! ([`super::links::extract_parsed`]): wherever the scan answers, its links (positions, widths
//! and texts included) must be pulldown-cmark's; it must answer for the common shapes and
//! decline everything outside its subset.

use proptest::prelude::*;

use super::links::{extract_parsed, BodyLink};
use super::links_fast::extract;

/// The fast path's links of `body`, checked against the parser's.
fn agrees(body: &str) -> Option<Vec<BodyLink>> {
    let fast = extract(body, 7);
    if let Some(links) = &fast {
        assert_eq!(links, &extract_parsed(body, 7), "fast path differs on {body:?}");
    }
    fast
}

#[test]
fn the_common_shapes_take_the_fast_path_and_agree() {
    let shapes = [
        "\n## 1. Purpose\n\nEach owner shall review [the policy](doc:POL-001) and [7.5](clause:7.5).\n",
        "## 6. Related documents\n\n- [Register 19191](../records/rec-19191.md) (REC-19191)\n- [Standard 14719](../standards/std-14719.md#scope) (STD-14719)\n",
        "| Activity | Who |\n|---|---|\n| Keep [the log](doc:REC-1) | *Owner* |\n",
        "```sql\nSELECT * FROM t WHERE a < 3 AND [b] = `c`;\n```\n\nSee ![diagram](img/d.png) and [Zoë's **plan**](doc:PLN-2).\n",
        "````\n```\n[not](a link)\n```\n````\n[after](doc:A-1)\n",
        "1. [One](a.md)\n   2. nested [two](b.md)[three](c.md)\n\n> quoted [four](https://example.org/x?y=1)\n",
        "# Heading with [link](doc:X-1)\nSetext [link](doc:X-2)\n---\n*[emphasised](doc:X-3)* and __[strong](doc:X-4)__ ~~[struck](doc:X-5)~~\n",
        "Unsafe [js](javascript:alert) and [y](data:x) and [z](/abs.md) and [w](#frag)\n",
        "No links at all.\n",
        "",
    ];
    for body in shapes {
        assert!(agrees(body).is_some(), "fast path declined {body:?}");
    }
    let links = agrees(shapes[1]).expect("fast");
    assert_eq!(links.len(), 2);
    assert_eq!((links[0].pos.line, links[0].pos.column, links[0].width), (9, 3, 41));
    assert_eq!(links[1].text, "Standard 14719");
}

#[test]
fn anything_else_is_declined() {
    let declined = [
        "See `[code](x)` here.\n",
        "<a href=\"x\">[y](z)</a>\n",
        "Mail <dpo@example.org>.\n",
        "Escaped \\[x](y)\n",
        "    [indented](code.md)\n",
        "-     [code in a list](x.md)\n",
        ">     [code in a quote](x.md)\n",
        "A [ref][r] link.\n\n[r]: /u\n",
        "A [shortcut] link.\n",
        "A footnote[^1].\n\n[^1]: Text.\n",
        "- [ ] task\n- [x] done\n",
        "[text](dest \"title\")\n",
        "[text](<dest>)\n",
        "[text](a(b)c)\n",
        "[text](a&amp;b)\n",
        "[nested [x](y)](z)\n",
        "| [a|b](c) |\n",
        // A table row's cells past the header's count are dropped, links and all.
        "| [a](b.md)\n---| \n[a](b.md)| [a](b.md)\n",
        "| h |\n|---|\n|---|---|\n| [x](y.md) | [z](w.md) |\n",
        "> | h |\n> |---|\n> | [x](y.md) | [z](w.md) |\n",
        "- | h |\n  |---|\n  | [x](y.md) | [z](w.md) |\n",
        "| 1. \n- | \n[a](b.md)| [a](b.md)\n",
        "| h |\n|---|\n\u{a0}\n| [x](y.md) | [z](w.md) |\n",
        "| h |\n|---|\n\u{a0}| [x](y.md) |\n",
        "# Title {#id} [x](y)\n",
        "[multi\nline](x)\n",
        "stray ] bracket\n",
        "~~~\n[x](y)\n~~~\n",
        "```not`a fence\n[x](y)\n",
        "tab\t[x](y)\n",
        "crlf [x](y)\r\n",
        "[](empty-text.md)\n",
        "[empty-dest]()\n",
    ];
    for body in declined {
        assert!(agrees(body).is_none(), "fast path answered {body:?}");
    }
}

#[test]
fn the_example_bodies_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
    let mut answered = 0;
    for entry in crate::util::markdown_files(&root) {
        let text = std::fs::read_to_string(&entry).expect("read");
        if let Ok(split) = super::frontmatter::split(&text) {
            answered += usize::from(agrees(split.body).is_some());
        }
    }
    assert!(answered > 0, "no example body took the fast path");
}

/// Lines of a body built from pieces Markdown gives meaning to.
fn body() -> impl Strategy<Value = String> {
    lines(vec![
        "",
        " ",
        "  ",
        "    ",
        "- ",
        "* ",
        "1. ",
        "10) ",
        "> ",
        "# ",
        "## ",
        "| ",
        " | ",
        "|---|---|",
        "```",
        "````",
        "```sql",
        "~~~",
        "[",
        "]",
        "(",
        ")",
        "!",
        "[a](b.md)",
        "![i](p.png)",
        "[x](doc:POL-1#s)",
        "[ ]",
        "[x]",
        "[^1]",
        "[r]: /u",
        "{#id}",
        "{",
        "*",
        "**",
        "_",
        "~~",
        "`",
        "<",
        "<br>",
        "\\",
        "&amp;",
        "word",
        "é",
        "---",
        "===",
        ":",
        "\"",
        "'",
        "\t",
        "https://x.org",
        "](",
        "](c)",
    ])
}

/// Lines of a body built from the pieces the fast path accepts (and a few it declines), so that
/// most bodies take it: lists, quotes, tables, headings, fences and emphasis around links.
fn plain_body() -> impl Strategy<Value = String> {
    lines(vec![
        "",
        " ",
        "   ",
        "- ",
        "  - ",
        "1. ",
        "> ",
        "# ",
        "| ",
        " | ",
        "|",
        "|---|---|",
        "---|",
        ":-:",
        "```",
        "```sql",
        "    ```",
        "[a](b.md)",
        "![i](p.png)",
        "[x y](doc:POL-1#s)",
        "[Zoë](c)",
        "*",
        "**",
        "_",
        "~~",
        "word",
        "é",
        "---",
        "===",
        "!",
        "(",
        ")",
        "<",
    ])
}

/// Bodies of up to eight lines of up to six `pieces` each.
fn lines(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
    let line = prop::collection::vec(prop::sample::select(pieces), 0..6).prop_map(|p| p.concat());
    prop::collection::vec(line, 0..8).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Wherever the fast path answers, it answers what the parser does.
    #[test]
    fn generated_bodies_agree(text in body()) {
        agrees(&text);
    }

    /// The same for bodies that mostly take the fast path.
    #[test]
    fn plain_bodies_agree(text in plain_body()) {
        agrees(&text);
    }
}

#[test]
fn the_word_check_misses_no_special_byte_and_passes_prose() {
    // Every pair of bytes at both ends of a word of plain letters: a special byte is never
    // missed (the scan would run past a bracket), and the bytes of ordinary prose (letters,
    // digits, spaces, common punctuation, UTF-8) are passed over without an exact look.
    let prose: Vec<u8> = (b'a'..=b'z')
        .chain(b'A'..=b'Z')
        .chain(b'0'..=b'9')
        .chain(*b" .,;:!?'\"-()*#/&=+%$")
        .chain(0x80..=0xff)
        .collect();
    for first in 0..=u8::MAX {
        for second in 0..=u8::MAX {
            for word in [
                [first, second, b'a', b'a', b'a', b'a', b'a', b'a'],
                [b'a', b'a', b'a', b'a', b'a', b'a', first, second],
            ] {
                let flagged = super::links_fast::may_hold_special(u64::from_ne_bytes(word));
                if super::links_fast::special(first) || super::links_fast::special(second) {
                    assert!(flagged, "missed {word:?}");
                } else if prose.contains(&first) && prose.contains(&second) {
                    assert!(!flagged, "prose flagged {word:?}");
                }
            }
        }
    }
}
