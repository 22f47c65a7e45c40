"""scripts/hooks/inline_css.py: the palette and guide.css go into the page, in place and in order;
Material's main stylesheet, print-site's and anything unreadable stay linked."""

from __future__ import annotations

from scripts.hooks import inline_css

HEAD = (
    '<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">\n'
    '<link rel="stylesheet" href="../assets/stylesheets/palette.89abcdef.min.css">\n'
    '<link rel="stylesheet" href="../css/print-site.css" media="print">\n'
    '<link rel="stylesheet" href="../assets/stylesheets/guide.css">\n'
)


def test_small_stylesheets_are_inlined_in_place(tmp_path):
    styles = tmp_path / "assets" / "stylesheets"
    styles.mkdir(parents=True)
    (styles / "palette.89abcdef.min.css").write_text(":root{--a:1}\n/*# sourceMappingURL=palette.89abcdef.min.css.map*/\n")
    (styles / "guide.css").write_text(".x { color: red; }\n")
    inline_css.on_pre_build(None)
    out = inline_css.inline(HEAD, str(tmp_path))
    assert out == (
        '<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">\n'
        "<style>:root{--a:1}</style>\n"
        '<link rel="stylesheet" href="../css/print-site.css" media="print">\n'
        "<style>.x { color: red; }</style>\n"
    )


def test_a_missing_or_unsafe_stylesheet_stays_linked(tmp_path):
    styles = tmp_path / "assets" / "stylesheets"
    styles.mkdir(parents=True)
    (styles / "guide.css").write_text('.x::after { content: "</style>"; }\n')
    inline_css.on_pre_build(None)
    assert inline_css.inline(HEAD, str(tmp_path)) == HEAD
