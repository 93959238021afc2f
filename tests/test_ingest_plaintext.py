"""Plain-text corpora: the seed sample segmented article by article, separators, the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.core import ingest
from newsreader.core.ingest import plaintext, prose
from newsreader.core.library import Library
from newsreader.core.models import Article, Photo, Skipped

SEED = Path(__file__).resolve().parents[1] / "resources" / "sample" / "seed-news.txt"


def articles_of(text: str, origin: str = "corpus.txt") -> list[Article]:
    items = list(ingest.read_bytes(text.encode(), name=origin, source="test"))
    assert not [item for item in items if isinstance(item, Skipped)]
    return [item for item in items if isinstance(item, Article)]


@pytest.fixture(scope="module")
def seed() -> list[Article]:
    items = list(ingest.read_bytes(SEED.read_bytes(), name="seed-news.txt", source="Sample"))
    assert all(isinstance(item, Article) for item in items)
    return [item for item in items if isinstance(item, Article)]


def test_seed_yields_exactly_the_five_articles_a_reader_sees(seed: list[Article]) -> None:
    assert len(seed) == 5
    firsts = [a.paragraphs[0][:40] for a in seed]
    assert firsts == [
        "Ukraine yesterday pressed its offensive ",
        "A Kenyan policeman deployed in Haiti has",
        "US Vice President J.D. Vance on Friday a",
        "A fire caused by a burst gas pipe yester",
        "Japan unveiled a plan on Thursday to eva",
    ]
    assert [a.origin for a in seed] == [f"seed-news.txt:{n}" for n in (1, 26, 27, 28, 29)]
    assert {a.source for a in seed} == {"Sample"}
    assert {a.source_kind for a in seed} == {"text"}


def test_seed_kursk_article_keeps_photo_credits_apart(seed: list[Article]) -> None:
    kursk = seed[0]
    assert len(kursk.paragraphs) == 23
    assert kursk.photos == (
        Photo(credit="Reuters", after_paragraph=2),
        Photo(credit="AFP", after_paragraph=5),
    )
    assert kursk.paragraphs[2].endswith("by one to three kilometers.”")
    assert kursk.paragraphs[5].endswith("wrote on Telegram.")
    assert not any(p.startswith("Photo:") for a in seed for p in a.paragraphs)
    assert kursk.paragraphs[-1].startswith("“They didn’t protect the border,”")
    assert kursk.kicker == ""
    assert kursk.truncated is False
    assert kursk.title == (
        "Ukraine yesterday pressed its offensive in Russian territory and bombarded the border"
        " region…"
    )


def test_seed_haiti_article_has_kicker_caption_and_real_lead(seed: list[Article]) -> None:
    haiti = seed[1]
    assert haiti.kicker == "DITCH TACTICS"
    assert haiti.title.startswith("A Kenyan policeman deployed in Haiti has gone missing")
    assert "DITCH" not in haiti.title and "gang members" not in haiti.title
    assert haiti.photos == (
        Photo(
            caption="Kenyan officers were on their way to rescue Haitian police stuck in a ditch"
            " suspected to have been deliberately dug by Haitian gang members",
            after_paragraph=-1,
        ),
    )
    assert len(haiti.paragraphs) == 1
    assert haiti.paragraphs[0].endswith("Gang violence has left")
    assert haiti.truncated is True


def test_seed_single_paragraph_articles_are_truncated_with_titles(seed: list[Article]) -> None:
    vance, fire, japan = seed[2:]
    for article in (vance, fire, japan):
        assert len(article.paragraphs) == 1
        assert article.truncated is True
        assert article.kicker == ""
        assert article.photos == ()
        assert len(article.title) <= prose.TITLE_LIMIT
        assert article.title.endswith("…")
    # "J.D." must not end the first sentence.
    assert vance.title.startswith("US Vice President J.D. Vance on Friday accused Denmark")
    assert "Putra Heights" in fire.paragraphs[0]
    assert japan.title.startswith("Japan unveiled a plan on Thursday to evacuate")


def test_double_spaced_seed_segments_the_same(seed: list[Article]) -> None:
    spaced = SEED.read_text(encoding="utf-8").replace("\n", "\n\n")
    again = articles_of(spaced, "seed-news.txt")
    assert [(a.title, a.paragraphs, a.photos) for a in again] == [
        (a.title, a.paragraphs, a.photos) for a in seed
    ]


GENERIC = """\
BERLIN (Reuters) - German factory orders rose more than expected in March, data showed on Friday.
Orders were up 2.1% on the month, the statistics office said.
Image: dpa
Economists had forecast a rise of 0.5%.
The central bank said in its monthly report that the recovery would be slow but steady, and that
PARIS — The French government on Monday unveiled a plan to cut red tape for small firms.
The measures include a simpler tax form.
(Photo: AFP)
“We want to make life easier,” the minister said.
MARKET WATCH: Stocks in Asia rose on Tuesday after a strong session on Wall Street.
Dr. Jane Smith of the U.S. Federal Reserve said inflation was easing.
"""


def test_generic_corpus_follows_the_rule() -> None:
    berlin, paris, market = articles_of(GENERIC)
    assert (
        berlin.title
        == "German factory orders rose more than expected in March, data showed on Friday"
    )
    assert berlin.photos == (Photo(credit="dpa", after_paragraph=1),)
    assert len(berlin.paragraphs) == 4
    assert berlin.truncated is True  # cut off after "and that"
    assert paris.paragraphs[0].startswith("PARIS — ")  # the dateline stays in the text
    assert (
        paris.title
        == "The French government on Monday unveiled a plan to cut red tape for small firms"
    )
    assert paris.photos == (Photo(credit="AFP", after_paragraph=1),)
    assert paris.truncated is False
    assert market.kicker == "MARKET WATCH"
    assert market.paragraphs == (
        "Stocks in Asia rose on Tuesday after a strong session on Wall Street.",
        "Dr. Jane Smith of the U.S. Federal Reserve said inflation was easing.",
    )
    assert market.photos == ()  # no caption is invented where there is none


def test_short_unpunctuated_line_is_a_subheading_not_a_cut() -> None:
    text = (
        "The council approved the budget on Monday after a long debate.\n"
        "What happens next\n"
        "Work on the new bridge starts in June.\n"
    )
    (article,) = articles_of(text)
    assert len(article.paragraphs) == 3


def test_paragraph_ending_in_colon_does_not_split() -> None:
    text = (
        "The prime minister addressed the nation on Sunday evening and said the following:\n"
        "“We will not give in to threats.”\n"
    )
    (article,) = articles_of(text)
    assert len(article.paragraphs) == 2
    assert article.truncated is False


@pytest.mark.parametrize("separator", ["\n---\n", "\n\f\n", "\n\n\n", "\n======\n"])
def test_explicit_separators_make_each_block_an_article(separator: str) -> None:
    first = "Rain is expected across the north.\nTemperatures will fall at night."
    second = "Storm warning\n\nA storm is due on Friday.\nFerries may be cancelled."
    third = "Markets closed higher on Friday."
    articles = articles_of(separator.join([first, second, third]))
    assert len(articles) == 3
    assert articles[0].title == "Rain is expected across the north"
    assert articles[0].paragraphs == (
        "Rain is expected across the north.",
        "Temperatures will fall at night.",
    )
    assert articles[1].title == "Storm warning"  # a titled block, read like a BBC file
    assert articles[1].paragraphs == ("A storm is due on Friday.", "Ferries may be cancelled.")
    assert articles[2].paragraphs == ("Markets closed higher on Friday.",)


def test_single_blank_lines_between_multiline_blocks_separate_articles() -> None:
    text = (
        "Rain is expected across the north.\nTemperatures will fall at night.\n\n"
        "Markets closed higher on Friday.\nBanks led the gains.\n"
    )
    assert [a.paragraphs[0] for a in articles_of(text)] == [
        "Rain is expected across the north.",
        "Markets closed higher on Friday.",
    ]


def test_titled_file_is_one_article_of_kind_file() -> None:
    text = "Ad sales boost profit\n\nProfits jumped 76%.\n\nSales rose 2%.\n"
    (article,) = articles_of(text, "001.txt")
    assert article.title == "Ad sales boost profit"
    assert article.paragraphs == ("Profits jumped 76%.", "Sales rose 2%.")
    assert article.source_kind == "file"
    assert article.origin == "001.txt"


def test_title_is_shortened_at_a_word_boundary() -> None:
    sentence = "Officials " + "said the long negotiations over the regional water treaty " * 4
    title = prose.title_from_text(sentence.strip() + ".")
    assert len(title) <= prose.TITLE_LIMIT
    assert title.endswith("…")
    assert sentence.startswith(title[:-1])
    assert title[:-1].split()[-1].lower() not in {"the", "over", "of"}


def test_sentence_split_ignores_abbreviations_and_initials() -> None:
    text = "Mr. Smith met J.D. Vance in the U.S. on Monday. They talked. It rained."
    assert prose.split_sentences(text) == [
        "Mr. Smith met J.D. Vance in the U.S. on Monday.",
        "They talked.",
        "It rained.",
    ]


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Photo: Reuters", "Reuters"),
        ("Photo credit: Jane Doe/AP", "Jane Doe/AP"),
        ("(Photo: AFP)", "AFP"),
        ("Picture: Getty Images", "Getty Images"),
        ("Image: dpa", "dpa"),
        ("Photo: this is far too long to be a credit line because it goes on and on", None),
        ("Photographers gathered outside: the doors opened at noon.", None),
    ],
)
def test_credit_lines(line: str, credit: str | None) -> None:
    assert plaintext.credit_of(line) == credit


def test_caption_rule_does_not_fire_on_prepositions() -> None:
    caption, lead = plaintext.split_run_in_caption(
        "Reporters at The Hague said the court would rule on Friday in the long-running case."
    )
    assert caption == ""
    assert lead.startswith("Reporters at The Hague")


def test_blank_runs_inside_a_titled_file_stay_in_the_article() -> None:
    text = (
        "Roundabout continues nostalgia trip\n\n"
        "The new film is released on Friday.\n\n"
        "It is out in the UK on 11 February.\n\n\n\n"
        "How about Catweazle? He could give Gandalf a run for his money!\n\n"
        "Make a movie of the Banana Splits!\n"
    )
    (article,) = articles_of(text)
    assert article.title == "Roundabout continues nostalgia trip"
    assert len(article.paragraphs) == 4
    assert article.truncated is False


def test_blank_runs_before_a_new_headline_start_a_new_article() -> None:
    text = (
        "Rain on the way\n\nRain is expected across the north.\n\n\n"
        "Markets rally\n\nShares closed higher on Friday.\n"
    )
    assert [(a.title, a.paragraphs) for a in articles_of(text)] == [
        ("Rain on the way", ("Rain is expected across the north.",)),
        ("Markets rally", ("Shares closed higher on Friday.",)),
    ]


def test_short_unpunctuated_last_line_is_not_truncation() -> None:
    text = "Film awards\n\nThe winners were announced on Sunday.\n\nSchool Of Rock\n"
    (article,) = articles_of(text)
    assert article.truncated is False


WRAPPED = """\
Harbour plan approved

The city council on Tuesday approved a plan to rebuild the old harbour,
ending a decade-long dispute over how the waterfront should be used and
who should pay for the work.

Construction is due to start next spring. The council said the well-
known fish market would stay open throughout.
"""


def test_hard_wrapped_text_is_unwrapped_into_paragraphs() -> None:
    (article,) = articles_of(WRAPPED)
    assert article.title == "Harbour plan approved"
    assert article.paragraphs == (
        "The city council on Tuesday approved a plan to rebuild the old harbour, ending a"
        " decade-long dispute over how the waterfront should be used and who should pay for"
        " the work.",
        "Construction is due to start next spring. The council said the well-known fish market"
        " would stay open throughout.",
    )
    assert article.truncated is False


def test_short_complete_lines_are_not_mistaken_for_wrapping() -> None:
    text = "Rain is due on Monday.\nWinds will ease.\nThe weekend looks dry.\nEnjoy it.\n"
    (article,) = articles_of(text)
    assert len(article.paragraphs) == 4


def test_seed_import_through_the_library_round_trips(library: Library) -> None:
    report = library.import_paths([SEED])
    assert (report.new, report.duplicates, report.skipped) == (5, 0, [])
    stored = library.get_many(report.new_ids)
    assert [a.kicker for a in stored] == ["", "DITCH TACTICS", "", "", ""]
    assert [a.truncated for a in stored] == [False, True, True, True, True]
    assert stored[0].photos == (
        Photo(credit="Reuters", after_paragraph=2),
        Photo(credit="AFP", after_paragraph=5),
    )
    assert {a.source for a in stored} == {"seed-news.txt"}  # the file's name, not its path
    assert library.import_paths([SEED]).duplicates == 5


#: A BBC-style file whose paragraphs include short lines ending in a full stop (inside quotes
#: or brackets) and a long unpunctuated line, each after a run of blank lines: read as
#: headlines, they once split this one article into five.
BBC_SHORT_LINES = (
    "Tobacco giants hail court ruling\n\n"
    "US tobacco companies have welcomed an appeal court's decision on Friday.\n\n\n"
    '"We are delighted."\n\n'
    "Tobacco stocks rose sharply on Wall Street after the decision.\n\n\n"
    "(Reuters.)\n\n"
    "Anti-smoking groups urge the government to fight on.\n\n\n"
    "The Justice Department has not said whether it will appeal the ruling to the full court\n\n"
    "The three-judge panel ruled on Friday.\n\n\n"
    '"All we are saying today is that we have received the ruling."\n\n'
    "A spokeswoman said the department was reviewing it.\n"
)


def test_titled_file_with_short_full_stop_lines_is_one_article() -> None:
    (article,) = articles_of(BBC_SHORT_LINES, "291.txt")
    assert article.title == "Tobacco giants hail court ruling"
    assert article.origin == "291.txt"
    assert len(article.paragraphs) == 9
    assert article.paragraphs[1] == '"We are delighted."'
