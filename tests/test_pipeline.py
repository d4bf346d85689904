from extractor import pipeline, store
from extractor.extract import ExtractionResult
from extractor.llm import LLMSettings
from schemas import ArticleExtraction

PAGE = " date 2024-03-05 Leaders meet\nPresident Alma Rivera of Norland met Prime Minister Tomas Berg of Sudmark in Geneva on Monday for talks.\n"


def test_an_unexpected_fault_in_one_article_does_not_stop_the_batch(tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(PAGE)
    (articles / "b.txt").write_text(PAGE.replace("Geneva", "Vienna"))

    def extract(article, client):
        if "Geneva" in article.text:
            raise KeyError("something nobody expected")
        return ExtractionResult(ArticleExtraction())

    monkeypatch.setattr(pipeline, "extract_article", extract)
    options = pipeline.RunOptions(settings=LLMSettings(model="m", base_url="http://127.0.0.1:9/v1"), progress=False)
    summary = pipeline.run(articles, tmp_path / "s.db", options)
    assert (summary.ok, summary.failed) == (1, 1)
    db = store.open_database(str(tmp_path / "s.db"))
    failed = next(db.query("select path, error from articles where status = 'failed'"))
    assert failed["path"].endswith("a.txt") and "KeyError" in failed["error"]
