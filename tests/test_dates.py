"""Publication dates a reader would agree with: bylines, metadata, widgets and captions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from briefing.dates import date_from_fields, date_from_html, date_from_lines, parse_datetime
from briefing.datetext import parse_text_date
from briefing.extract import decode, extract_document
from briefing.models import Article, DateSource, RawDocument, SourceKind
from briefing.store import Store

STORY = (
    "The harbour authority closed the northern quay after a crane failed during the night shift. "
    "Engineers from the port company inspected the crane at first light and found a cracked boom. "
    "Ferries were moved to the southern berths, and freight traffic was delayed by several hours. "
)
EET = timezone(timedelta(hours=2))
FETCHED = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


def _page(head: str = "", body: str = "", lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><title>Quay closed</title>{head}</head><body>'
        f"{body}<article><p>{STORY}</p><p>{STORY}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Roe | December 1, 2026 9:12 a.m. EET", datetime(2026, 12, 1, 9, 12, tzinfo=EET)),
        ("15.03.2027", datetime(2027, 3, 15, tzinfo=UTC)),
        ("Wire · 15 March 2027 08:05 GMT", datetime(2027, 3, 15, 8, 5, tzinfo=UTC)),
        ("Published 3 hours ago", datetime(2027, 3, 15, 9, 0, tzinfo=UTC)),
        ("Nov. 24, 2026, 7:30 p.m.", datetime(2026, 11, 24, 19, 30, tzinfo=UTC)),
        ("Stand: 07.11.2023, 07:30 Uhr", datetime(2023, 11, 7, 7, 30, tzinfo=UTC)),
        ("1. Februar 2022, Daniel Dillenburg", datetime(2022, 2, 1, tzinfo=UTC)),
    ],
)
def test_byline_forms(line: str, expected: datetime) -> None:
    found = parse_text_date(line, fetched_at=FETCHED)
    assert found == expected
    assert found is not None and found.utcoffset() == expected.utcoffset()


def test_relative_time_needs_the_fetch_time() -> None:
    assert parse_text_date("Published 3 hours ago") is None


def test_slashes_read_day_first_unless_the_page_is_us_english() -> None:
    assert parse_text_date("06/01/2020") == datetime(2020, 1, 6, tzinfo=UTC)
    assert parse_text_date("06/01/2020", month_first=True) == datetime(2020, 6, 1, tzinfo=UTC)
    assert parse_text_date("03/13/2020") == datetime(2020, 3, 13, tzinfo=UTC)


def test_iso_offset_is_kept_not_rolled_into_the_next_utc_day() -> None:
    evening = parse_datetime("2026-12-01T22:30:00-05:00")
    assert evening is not None
    assert evening.date().isoformat() == "2026-12-01"
    assert evening.utcoffset() == timedelta(hours=-5)


def test_text_page_byline_beats_widget() -> None:
    lines = [
        "Monday, July 7, 2025",
        "Home | World | Defence",
        "Navy tests a new coastal radar off the northern cape",
        "By Jane Roe | December 1, 2026 9:12 a.m. EET",
        STORY,
    ]
    found = date_from_lines(lines, title=lines[2])
    assert found is not None
    assert found.when == datetime(2026, 12, 1, 9, 12, tzinfo=EET)
    assert found.source is DateSource.BYLINE


def test_text_page_with_only_a_widget_is_undated() -> None:
    lines = ["Monday, July 7, 2025", "Navy tests a new coastal radar off the northern cape", STORY]
    assert date_from_lines(lines) is None


def test_text_page_dateline_under_headline_counts() -> None:
    lines = ["Navy tests a new coastal radar off the northern cape", "15.03.2027", STORY]
    found = date_from_lines(lines, title=lines[0])
    assert found is not None and found.when.date().isoformat() == "2027-03-15"


def test_html_meta_before_jsonld_and_offset_kept() -> None:
    head = (
        '<meta property="article:published_time" content="2026-12-01T21:40:00-05:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-11-30T10:00:00Z"}</script>'
    )
    found = date_from_html(_page(head))
    assert found is not None
    assert found.source is DateSource.META
    assert found.when.isoformat() == "2026-12-01T21:40:00-05:00"


def test_jsonld_article_date_not_its_comments() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "BlogPosting",'
        ' "datePublished": "2026-11-20T08:00:00+01:00",'
        ' "comment": [{"@type": "Comment", "datePublished": "2026-11-29T10:00:00+01:00"}]}'
        "</script>"
    )
    found = date_from_html(_page(head))
    assert found is not None and found.source is DateSource.JSONLD
    assert found.when.date().isoformat() == "2026-11-20"


def test_utc_metadata_shown_at_the_sites_own_offset() -> None:
    # Published at 22:35 in Los Angeles: the 8th there, the 9th in UTC.
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-11-09T06:35:00+00:00"}</script>'
        '<script>var page = {"publicationDate": "2026-11-08T22:35:00-08:00"};</script>'
    )
    found = date_from_html(_page(head))
    assert found is not None
    assert found.when.date().isoformat() == "2026-11-08"
    assert found.when == datetime(2026, 11, 9, 6, 35, tzinfo=UTC)


def test_byline_under_headline_and_caption_ignored() -> None:
    body = (
        "<figure><img src='/uploads/2017/05/03/crane.jpg'>"
        "<figcaption>The crane on 3 May 2017.</figcaption></figure>"
        "<h1>Quay closed after crane failure</h1>"
        "<p class='byline'>By Jane Roe | December 1, 2026 9:12 a.m. EET</p>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.source is DateSource.BYLINE
    assert found.when == datetime(2026, 12, 1, 9, 12, tzinfo=EET)


def test_caption_image_path_and_widget_never_date_a_page() -> None:
    head = '<meta property="og:image" content="https://cdn.example/2017/05/03/crane.jpg">'
    body = (
        "<div class='header-date'>Monday, July 7, 2025</div>"
        "<figure><figcaption>The crane, photographed on 3 May 2017.</figcaption></figure>"
        "<h1>Quay closed after crane failure</h1>"
    )
    found = date_from_html(_page(head, body))
    assert found is None or found.when.year not in (2017, 2025)


def test_comment_and_related_dates_are_not_the_articles() -> None:
    body = (
        "<div class='related'><span class='date'>12 June 2019</span></div>"
        "<h1>Quay closed after crane failure</h1>"
        "<p class='dateline'>Wire · 15 March 2027 08:05 GMT</p>"
        "<div class='comments'><time datetime='2027-03-20T10:00:00Z'>20 March 2027</time></div>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.when.date().isoformat() == "2027-03-15"


def test_url_date_from_canonical_link() -> None:
    head = '<link rel="canonical" href="https://news.example/2026/11/24/quay-closed/">'
    found = date_from_html(_page(head))
    assert found is not None and found.source is DateSource.URL
    assert found.when.date().isoformat() == "2026-11-24"


def test_relative_byline_counts_back_from_fetch_time() -> None:
    body = "<h1>Quay closed after crane failure</h1><p>Published 3 hours ago</p>"
    found = date_from_html(_page(body=body), fetched_at=FETCHED)
    assert found is not None
    assert found.when == datetime(2027, 3, 15, 9, 0, tzinfo=UTC)


def test_fields_of_front_matter_or_json() -> None:
    found = date_from_fields({"title": "Quay", "date": "2027-03-15T08:05:00+01:00"})
    assert found is not None and found.source is DateSource.FRONT_MATTER
    assert found.when.utcoffset() == timedelta(hours=1)


def _raw(content: bytes, media_type: str = "html") -> RawDocument:
    return RawDocument(
        kind=SourceKind.INBOX, location="page.html", media_type=media_type, content=content
    )


def test_xhtml_with_xml_encoding_declaration_is_dated() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Quay</title>'
        '<meta property="article:published_time" content="2027-03-15T08:05:00+01:00"/>'
        f"</head><body><h1>Quay closed</h1><p>{STORY}</p><p>{STORY}</p></body></html>"
    )
    article = extract_document(_raw(page.encode()))
    assert article.published_at == datetime(2027, 3, 15, 8, 5, tzinfo=timezone(timedelta(hours=1)))
    assert article.date_source is DateSource.META


def test_control_characters_do_not_stop_dating() -> None:
    page = _page('<meta name="date" content="2027-03-15">', "<h1>Quay\x0b closed</h1>")
    found = date_from_html(page)
    assert found is not None and found.when.date().isoformat() == "2027-03-15"


def test_non_utf8_page_without_charset_is_decoded() -> None:
    text = _page(
        body="<h1>Hafen geschlossen: Kräne müssen geprüft werden</h1>"
        "<p class='datum'>15. März 2027</p>"
    )
    content = text.encode("cp1252")
    assert b"charset" not in content
    decoded = decode(content, "page.html")
    assert "Kräne müssen" in decoded
    found = date_from_html(decoded)
    assert found is not None and found.when.date().isoformat() == "2027-03-15"


def test_store_keeps_offset_and_selects_by_instant(tmp_path: Path) -> None:
    # 23:30 in New York on 1 December is 04:30 UTC on the 2nd: in the UTC window of the 2nd.
    evening = datetime(2026, 12, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    article = Article(title="Quay closed", text=STORY, published_at=evening)
    with Store(tmp_path / "b.db") as store:
        stored, _ = store.add(article)
        day_two = store.in_window(
            datetime(2026, 12, 2, tzinfo=UTC), datetime(2026, 12, 3, tzinfo=UTC)
        )
        day_one = store.in_window(
            datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 2, tzinfo=UTC)
        )
        again = store.get(stored.id)
    assert [a.id for a in day_two] == [stored.id]
    assert day_one == []
    assert again is not None and again.published_at is not None
    assert again.published_at.utcoffset() == timedelta(hours=-5)


def test_rfc2822_stamps_give_the_sites_offset() -> None:
    # The metadata says 03:35 UTC on the 9th; the page's schedule writes its times
    # at -05:00, so the story is from the evening of the 8th there.
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-11-09T03:35:00Z"}</script>'
        '<script>var shows = [{"date": "Sun, 08 Nov 2026 20:00:00 -0500"},'
        ' {"date": "Mon, 09 Nov 2026 06:00:00 -0500"}];</script>'
    )
    found = date_from_html(_page(head))
    assert found is not None
    assert found.when.date().isoformat() == "2026-11-08"
    assert found.when == datetime(2026, 11, 9, 3, 35, tzinfo=UTC)


def test_modified_meta_tags_never_date_a_page_by_its_text() -> None:
    # No metadata for publication; the updated-time tag is a later day than the
    # date the page prints, which is the one its readers see.
    head = (
        '<meta property="og:updated_time" content="2026-02-10T11:57:06+01:00">'
        '<meta name="last-modified" content="2026-02-10">'
    )
    body = "<div><p>Quay closed after crane failure</p><p>Harbour desk, 31.01.2026</p></div>"
    found = date_from_html(_page(head, body, lang="de"))
    assert found is not None and found.when.date().isoformat() == "2026-01-31"


def test_a_lone_year_is_not_read_as_january_first() -> None:
    # A placeholder creation date on 1 January: the page's own printed day wins.
    body = (
        '<div><meta itemprop="dateCreated" content="01/01/2004"></div>'
        "<div><p>Pineapple cake</p><p>Updated June 13, 2019</p></div>"
        "<footer>© 2004 Example Kitchens</footer>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.when.date().isoformat() == "2019-06-13"


def test_metadata_day_shown_in_the_byline_beats_a_date_in_the_lede() -> None:
    head = '<meta property="article:published_time" content="2026-01-15T09:00:00+00:00">'
    body = (
        "<div class='post-meta'>By Harbour Desk • <time>15 January 2026</time></div>"
        "<h1>Quay reopens</h1>"
        "<p>It follows a 26 December 2025 ruling.</p>"
    )
    found = date_from_html(_page(head, body))
    assert found is not None and found.when.date().isoformat() == "2026-01-15"


def test_the_site_headers_date_is_not_the_byline() -> None:
    # 22:28 in New York on the 8th, 03:28 UTC on the 9th; the masthead shows today.
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-11-09T03:28:35Z"}</script>'
        '<script>var story = {"date": "2026-11-08T22:28:35-05:00"};</script>'
    )
    body = "<div class='site-header__date'>November 9, 2026</div><h1>Quay reopens</h1>"
    found = date_from_html(_page(head, body))
    assert found is not None and found.when.date().isoformat() == "2026-11-08"


def test_a_blog_posts_weekday_date_header_is_its_date_not_a_widget() -> None:
    body = (
        "<div class='post-outer'><div class='post-header'>"
        "<div class='date-header'>Friday, 5 June 2026</div>"
        "<h1>Quay reopens</h1></div>"
        f"<div class='post-body'><p>{STORY}</p></div>"
        "<div class='comment-block'><a href='#c1'>6 June 2026 at 10:23</a></div></div>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.when.date().isoformat() == "2026-06-05"


def test_a_weekday_date_outside_any_post_is_still_the_widget() -> None:
    body = (
        "<div class='top'><span class='date'>Friday, 5 June 2026</span></div>"
        "<h1>Quay reopens</h1><p class='dateline'>Harbour desk, 2 June 2026 08:05</p>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.when.date().isoformat() == "2026-06-02"


def test_a_page_wrapped_in_an_hfeed_still_has_a_byline() -> None:
    # WordPress themes wrap the whole page in the microformat's "hfeed": it is no feed
    # of other stories, so the post's own byline inside it counts.
    body = (
        "<div id='page' class='hfeed site'><h1>Quay reopens</h1>"
        "<span class='posted-on'>2 June 2026</span>"
        f"<p>{STORY}</p>"
        "<div class='related'><span>28 May 2026</span> Quay closed after crane failure</div>"
        "</div>"
    )
    found = date_from_html(_page(body=body))
    assert found is not None and found.source is DateSource.BYLINE
    assert found.when.date().isoformat() == "2026-06-02"


def test_a_timed_kicker_above_the_headline_dates_the_story() -> None:
    body = (
        "<div class='head'><p>02.06.2026 10:16 Uhr - Hafen</p><h1>Quay reopens</h1></div>"
        f"<p>{STORY}</p><p>{STORY}</p>"
        "<ul><li><small>30.05.2026 · Hafen</small> Crane inspected</li></ul>"
    )
    found = date_from_html(_page(body=body, lang="de"))
    assert found is not None and found.source is DateSource.BYLINE
    assert found.when == datetime(2026, 6, 2, 10, 16, tzinfo=UTC)


def test_an_untimed_date_above_the_headline_is_no_kicker() -> None:
    body = "<div class='head'><p>02.06.2026</p><h1>Quay reopens</h1></div>"
    found = date_from_html(_page(body=body, lang="de"))
    assert found is None or found.source is not DateSource.BYLINE
