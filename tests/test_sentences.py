"""Sentence splitting, length and ranking terms in the languages a news inbox carries."""

from __future__ import annotations

import pytest

from briefing.backends.extractive import ExtractiveBackend
from briefing.models import Article, Development, Story, SummaryOptions
from briefing.sentences import is_foreign, length, split_sentences, stop_words, terms

# Our own sentences, two or three per language.
SPLITS = {
    "en": ("Dr. Amal Haddad arrived in Hama on Monday. She met the U.S. envoy at 9 a.m. "
           "The talks lasted two hours.", 3),
    "fr": ("Le maire a ouvert la réunion à 10 heures. Les habitants ont posé des questions. "
           "La séance a duré deux heures.", 3),
    "de": ("Der Bürgermeister eröffnete die Sitzung am Montag. Die Anwohner stellten Fragen.", 2),
    "ru": ("Правительство объявило новые меры в понедельник. Министр заявил, что встреча "
           "состоится в четверг.", 2),
    "tr": ("Hükümet pazartesi günü yeni önlemler açıkladı. Bakan toplantının perşembe günü "
           "yapılacağını söyledi.", 2),
    "ar": ("أعلنت الحكومة عن إجراءات جديدة يوم الاثنين. وقال الوزير إن الاجتماع سيعقد يوم الخميس؟ "
           "وأضاف أن المساعدات ستصل قريبا.", 3),
    "zh": "政府周一宣布了新的措施。部长表示，会议将于周四举行！居民们对此表示欢迎。",
    "ja": "政府は月曜日に新しい対策を発表した。大臣は木曜日に会議を開くと述べた。",
}


@pytest.mark.parametrize("language", sorted(SPLITS))
def test_each_language_splits_into_its_sentences(language: str) -> None:
    case = SPLITS[language]
    text, expected = case if isinstance(case, tuple) else (case, case.count("。") + case.count("！"))
    sentences = split_sentences(text)
    assert len(sentences) == expected
    for sentence in sentences:
        assert sentence in text  # verbatim slices
    assert "".join(s for s in sentences).replace(" ", "") == text.replace(" ", "")


def test_chinese_is_cut_at_ideographic_stops_with_closing_quotes() -> None:
    text = "他说：“我们会留下。”随后离开了会场。"
    assert split_sentences(text) == ["他说：“我们会留下。”", "随后离开了会场。"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quote closed on its own stop ends the sentence when a new one follows
        ("负责人说：“物资会尽快送达……。”据悉，物资包括帐篷。",
         ["负责人说：“物资会尽快送达……。”", "据悉，物资包括帐篷。"]),
        ("她表示：「物资已经启运。」预计下周抵达。", ["她表示：「物资已经启运。」", "预计下周抵达。"]),
        ("“好。”“走吧。”", ["“好。”", "“走吧。”"]),
        # ... and goes on when an attribution follows it (no clause mark, a verb of saying)
        ("“停火必须立即实现！”一名代表说。会议随后结束。",
         ["“停火必须立即实现！”一名代表说。", "会议随后结束。"]),
        ("“必须停火。”外交部发言人在例行记者会上表示。第二天双方恢复谈判。",
         ["“必须停火。”外交部发言人在例行记者会上表示。", "第二天双方恢复谈判。"]),
        ("“冲突升级。”另据报道，伤亡人数上升。", ["“冲突升级。”", "另据报道，伤亡人数上升。"]),
        # Japanese: the quotative particle after 」 continues the sentence
        ("大臣は「支援を続ける。」と述べた。会議は終わった。",
         ["大臣は「支援を続ける。」と述べた。", "会議は終わった。"]),
        ("記者「本当ですか。」大臣「はい。」", ["記者「本当ですか。」", "大臣「はい。」"]),
        # a lower-case word after a closing quote goes on in cased scripts
        ('He shouted "Stop!" and left. Then it rained.',
         ['He shouted "Stop!" and left.', "Then it rained."]),
    ],
)
def test_sentences_ending_in_a_closing_quote(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_safety_sentences_keep_the_closing_quote_with_its_stop() -> None:
    from briefing.safety import sentences

    assert sentences("他说：“我们会留下。”随后离开了会场。") == ["他说：“我们会留下。”", "随后离开了会场。"]


def test_unspaced_scripts_are_counted_by_characters() -> None:
    assert length("政府周一宣布了新的措施。") == 6  # 11 characters, two per word
    assert length("The government announced new measures on Monday.") == 7
    assert length("Russia said 20 people") == 4


def test_stop_words_per_language_are_bundled() -> None:
    assert "the" in stop_words("en")
    assert "и" in stop_words("ru") and "le" in stop_words("fr")
    assert stop_words("xx") == frozenset()


def test_terms_drop_stop_words_and_pair_chinese_characters() -> None:
    assert "the" not in terms("The minister resigned", "en")
    assert "minist" in terms("The minister resigned", "en")
    assert {"政府", "府宣"} <= set(terms("政府宣布", "zh"))


def test_language_mark_only_for_other_languages() -> None:
    assert is_foreign("fr", "en") and not is_foreign("en", "en") and not is_foreign(None, "en")


def _one_development(*articles: Article) -> list[Development]:
    return [Development(id="d1", stories=[Story(articles=[a]) for a in articles])]


def test_chinese_and_long_token_sentences_are_briefed_and_marked() -> None:
    chinese = Article(id="zh1", title="港口罢工进入第三天", language="zh", text=(
        "港口工人的罢工周三进入第三天，数百艘货船在港外等待卸货。工会表示，"
        "谈判将于周五在劳工部恢复。港务局说，罢工已造成约两亿元的损失。"))
    english = Article(id="en1", title="Port strike enters third day", language="en", text=(
        "The port strike entered its third day on Wednesday as hundreds of cargo ships waited "
        "offshore. Union leaders said talks would resume at the labour ministry on Friday. "
        "The harbour code QX-77F3A9B2C4D5E6F7A8B9C0D1E2F3 was logged for every idle vessel."))
    summary = ExtractiveBackend().summarise(_one_development(chinese, english),
                                            SummaryOptions(max_points=5, takeaways=7))
    shown = [s.text for s in summary.takeaways] + [
        p.text for d in summary.developments for p in d.points]
    marked = [t for t in shown if t.startswith("[zh] ")]
    assert marked, shown
    for text in marked:  # shown as written after the mark
        assert text.removeprefix("[zh] ") in chinese.text
    assert not any(t.startswith("[en]") for t in shown)
    assert any("QX-77F3A9B2C4D5E6F7A8B9C0D1E2F3" in t for t in shown)


def test_french_headline_is_marked_with_its_language() -> None:
    french = Article(id="fr1", title="Le port reste fermé", language="fr", text=(
        "Le port de Marseille est resté fermé mardi pour le troisième jour consécutif. "
        "Les dockers ont annoncé une nouvelle assemblée générale jeudi matin."))
    summary = ExtractiveBackend().summarise(_one_development(french), SummaryOptions())
    assert summary.developments[0].headline.text == "[fr] Le port reste fermé"
    assert summary.developments[0].headline.citations[0].quote == "Le port reste fermé"
