import json

import pytest

from extractor.articles import ArticleError, article_id, clean_page, find_article_files, read_article

BODY = [
    "GENEVA (Reuters) — President Alma Rivera of Norland met Prime Minister Tomas Berg of Sudmark on Monday for talks in Geneva.",
    "Rivera said the two leaders agreed to reopen the border crossing at Kell by the end of the year.",
    "Berg was accompanied by Foreign Minister Ines Holt, who said Sudmark would lift tariffs on Norland grain.",
    "Analysts said the meeting between Rivera and Berg was the first since the 2019 dispute between Norland and Sudmark.",
    "Rivera will visit Sudmark next month, Berg told reporters after the talks in Geneva.",
    "“Old friends are the best friends, and today we proved it once more,” she said.",
]
PAGE = "\n".join([
    "Skip to main content", "Menu", "World", "Advertisement",
    "Norland and Sudmark leaders meet in Geneva",
    "(Photo by J. Smith via AP)",
    *BODY[:3],
    "Article continues after advertisement",
    *BODY[3:],
    "MORE WORLD NEWS",
    "Local bakery wins national bread prize",
    "A small bakery in Ashford has won the national bread prize for the third year running, its owner said.",
    "Storm closes highway in the north",
    "Heavy snow closed the main highway for six hours on Friday, police said, and drivers were told to stay home.",
    "Football club signs new coach",
    "The club announced on Thursday that it had signed a new coach on a three-year contract worth millions.",
])


def test_clean_page_keeps_every_body_sentence_and_drops_furniture():
    text, title = clean_page(PAGE)
    for sentence in BODY:
        assert sentence in text
    for junk in ("Skip to main content", "Advertisement", "via AP", "bakery", "highway", "coach", "MORE WORLD NEWS"):
        assert junk not in text
    assert title == "Norland and Sudmark leaders meet in Geneva"


def test_read_article_takes_the_date_line_and_hashes_content(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" date 2024-05-06 " + PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.published == "2024-05-06"
    assert article.outlet == "Reuters"
    assert article.id == article_id(path.read_text(encoding="utf-8"))
    copy = tmp_path / "b.txt"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_article(copy).id == article.id
    assert "date 2024-05-06" not in article.text


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty file"), (b"   \n\t ", "empty file"), (b"\x00\x01\x02binary", "binary file"), ("caf\u00e9 na\u00efve".encode("cp1252"), "not UTF-8")],
)
def test_unreadable_files_raise_an_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as error:
        read_article(path)
    assert str(path) in str(error.value) and reason in str(error.value)


def test_find_article_files_from_directory_glob_and_nothing(tmp_path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "notes.md").write_text("x")
    assert [p.name for p in find_article_files(tmp_path)] == ["a.txt", "b.txt"]
    assert [p.name for p in find_article_files(str(tmp_path / "a*"))] == ["a.txt"]
    with pytest.raises(ArticleError, match="no article files"):
        find_article_files(tmp_path / "missing")


def test_jsonl_records_are_read_one_by_one_with_bad_lines_reported(tmp_path):
    from extractor.articles import read_articles

    path = tmp_path / "corpus.jsonl"
    page = "\n".join(BODY)
    path.write_text("\n".join([
        json.dumps({"id": "r1", "text": page, "url": "https://example.org/1", "published": "2024-05-06T10:00:00Z"}),
        "{not json",
        json.dumps({"id": "r3", "url": "https://example.org/3"}),
        "",
        json.dumps({"id": "r5", "text": "   "}),
    ]), encoding="utf-8")
    records = read_articles(path)
    where, article = next(records)  # a generator: records are read as they are used
    assert where == f"{path}#r1" and article.published == "2024-05-06" and BODY[0] in article.text
    rest = list(records)
    assert [where for where, _ in rest] == [f"{path}:2", f"{path}:3", f"{path}#r5"]
    assert all(isinstance(error, ArticleError) for _, error in rest)
    assert "not an article record" in str(rest[0][1]) and "empty" in str(rest[2][1])
