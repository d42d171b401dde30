"""What to watch, attribution and the no-comment filter in each language with a lexicon.

Every sentence here is our own; each language has forward-looking sentences that say
when, and near misses: a future with no time, a past time, the day a statement was made.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.backends.extractive import ExtractiveBackend
from briefing.backends.figures import outlook, outlook_sentence, statement
from briefing.backends.ranking import Candidate, attribution, news_value, non_statement
from briefing.backends.signals import LEXICONS
from briefing.models import Article, Development, SourceKind, SourceRef, Story, SummaryOptions

AHEAD = [
    ("fr", "Le conseil municipal doit se réunir jeudi pour voter le budget d'urgence."),
    ("fr", "Le sommet se tiendra le 3 mars à Genève, selon la présidence."),
    ("fr", "Les dockers reprendront le travail la semaine prochaine."),
    ("de", "Der Stadtrat soll am Donnerstag über den Haushalt abstimmen."),
    ("de", "Der Bundestag wird am 3. März über das Gesetz abstimmen."),
    ("de", "Die Gespräche gehen nächste Woche in Bremen weiter."),
    ("es", "El consejo se reunirá el jueves para votar el presupuesto."),
    ("es", "Está previsto que el informe se publique el 3 de marzo."),
    ("ru", "Заседание совета состоится в четверг в здании мэрии."),
    ("ru", "Правительство планирует принять закон до 3 марта."),
    ("ar", "من المقرر أن يجتمع المجلس يوم الخميس للتصويت على الميزانية."),
    ("ar", "سيعقد الوزراء اجتماعا الأسبوع المقبل في الميناء."),
    ("zh", "联合国安理会将于周四召开紧急会议。"),
    ("zh", "预计第二批物资将在3月5日运抵港口。"),
    ("tr", "Belediye meclisi perşembe günü toplanacak."),
    ("tr", "Seçim sonuçlarının 3 Mart'ta açıklanması bekleniyor."),
]

NOT_AHEAD = [
    ("fr", "Le ministre a déclaré jeudi que la situation sera difficile."),  # day of saying
    ("fr", "La réunion de jeudi dernier sera suivie d'un rapport."),  # a past time
    ("fr", "Le port sera fermé pendant les travaux."),  # a future, but no when
    ("fr", "Le conseil se tiendra-t-il jeudi ?"),  # a question
    ("de", "Die Regierung will am Montag die Steuern senken."),  # "will" is "wants"
    ("de", "Die Gewerkschaft sagte am Montag, der Streik sei beendet."),
    ("de", "Am Morgen standen die Kräne im Hafen still."),  # "Morgen": morning
    ("es", "El ministro dijo el lunes que la huelga había terminado."),
    ("es", "Los estibadores protestaron por la mañana frente al puerto."),  # morning
    ("ru", "Министр заявил в понедельник, что забастовка закончилась."),
    ("ru", "Заседание состоялось в прошлый четверг."),  # took place, last Thursday
    ("ar", "قال الوزير يوم الخميس إن الإضراب انتهى."),
    ("zh", "会议已于11月3日举行。"),  # already held
    ("zh", "卫生部周四表示，疫情已得到控制。"),  # said on Thursday
    ("zh", "一名将军在港口视察。"),  # 将军: a general, not "will"
    ("tr", "Bakan perşembe günü yaptığı açıklamada grevin sona erdiğini söyledi."),
    ("tr", "Toplantı geçen perşembe yapıldı."),  # last Thursday
]


@pytest.mark.parametrize(("language", "text"), AHEAD)
def test_a_forward_looking_sentence_that_says_when(language: str, text: str) -> None:
    assert outlook_sentence(text, language)


@pytest.mark.parametrize(("language", "text"), NOT_AHEAD)
def test_no_watch_item_without_a_time_ahead(language: str, text: str) -> None:
    assert not outlook_sentence(text, language)


def test_every_lexicon_language_has_a_positive_and_a_negative_case() -> None:
    assert {lang for lang, _ in AHEAD} == set(LEXICONS) == {lang for lang, _ in NOT_AHEAD}


def test_a_language_without_a_lexicon_is_never_guessed_at() -> None:
    # Italian has no lexicon: neither its words nor English ones may decide
    assert not outlook_sentence("Il consiglio si riunirà giovedì 3 marzo.", "it")
    assert not outlook_sentence("The council will meet on Thursday.", "it")
    assert outlook_sentence("The council will meet on Thursday.", "en")


ATTRIBUTED = [
    ("fr", "Selon des habitants, le port est fermé depuis lundi.", "Selon"),
    ("fr", "« Nous ne partirons pas », a-t-il déclaré devant le port.", "a-t-il déclaré"),
    ("de", "Laut Anwohnern ist der Hafen seit Montag geschlossen.", "Laut"),
    ("de", "Der Hafen bleibt geschlossen, sagte eine Sprecherin der Behörde.", "sagte"),
    ("es", "Según los vecinos, el puerto está cerrado desde el lunes.", "Según"),
    ("ru", "По словам жителей, порт закрыт с понедельника.", "По словам"),
    ("ar", "وقال مسؤول في الميناء إن العمل توقف.", "وقال"),
    ("zh", "据当地居民称，港口已关闭。", "据当地居民称"),
    ("tr", "Yetkililere göre liman pazartesiden beri kapalı.", "Yetkililere göre"),
]
UNATTRIBUTED = [
    ("fr", "Le port est fermé depuis lundi."),
    ("de", "Der Hafen ist seit Montag geschlossen."),
    ("es", "El puerto está cerrado desde el lunes."),
    ("ru", "Порт закрыт с понедельника."),
    ("ar", "توقف العمل في الميناء منذ الصباح."),
    ("zh", "港口的数据显示吞吐量下降。"),  # 数据 (data) holds 据, no source
    ("tr", "Liman pazartesiden beri kapalı."),
]


@pytest.mark.parametrize(("language", "text", "source"), ATTRIBUTED)
def test_attribution_is_read_in_the_sentences_language(language: str, text: str, source: str) -> None:
    found = attribution(text, language)
    assert found is not None and found.group(0) == source
    assert statement(Candidate(text, ["a1"], 0, language)).attribution == source


@pytest.mark.parametrize(("language", "text"), UNATTRIBUTED)
def test_no_attribution_where_no_source_is_named(language: str, text: str) -> None:
    assert attribution(text, language) is None


NO_COMMENT = [
    ("fr", "Le ministère n'a pas répondu à une demande de commentaire.",
     "Le ministère a répondu aux questions des élus."),
    ("de", "Die Reederei war für eine Stellungnahme nicht zu erreichen.",
     "Die Reederei war am Montag gut zu erreichen."),
    ("es", "La empresa no respondió a una solicitud de comentarios.",
     "La empresa respondió a las preguntas del sindicato."),
    ("ru", "Представитель компании не ответил на запрос.",
     "Представитель компании ответил на вопросы журналистов."),
    ("ar", "ولم يرد المتحدث على طلب للتعليق.", "ورد المتحدث على أسئلة الصحفيين."),
    ("zh", "该公司未回应置评请求。", "该公司回应了工会的要求。"),
    ("tr", "Şirket yorum talebine yanıt vermedi.", "Şirket sendikanın sorularına yanıt verdi."),
]


@pytest.mark.parametrize(("language", "silent", "answered"), NO_COMMENT)
def test_a_report_that_nothing_was_said_weighs_less(language: str, silent: str, answered: str) -> None:
    assert non_statement(silent, language)
    assert not non_statement(answered, language)
    # the same sentence read without the language's words ("xx" has none) loses no weight
    assert news_value(silent, language) < news_value(silent, "xx")


def test_english_reading_is_unchanged_for_english_and_unknown_languages() -> None:
    text = "The ministry did not respond to a request for comment, officials said."
    assert non_statement(text) and non_statement(text, "en")
    assert news_value(text) == news_value(text, "en")
    found = attribution(text, "en")
    assert found is not None and found.group(0) == "said"


def _article(id_: str, title: str, paragraphs: list[str], language: str) -> Article:
    return Article(id=id_, title=title, text="\n\n".join(paragraphs), site=f"{id_}.example",
                   language=language, published_at=datetime(2026, 3, 4, 12, tzinfo=UTC),
                   sources=[SourceRef(kind=SourceKind.INBOX, location=f"{id_}.txt")])


MARSEILLE = _article("m1", "Grève au port de Marseille", [
    "Une grève de 48 heures a paralysé le port de Marseille mardi, selon le syndicat.",
    "Près de 2 000 dockers ont cessé le travail à l'appel de la CGT, a indiqué le syndicat.",
    "Les navires ont été détournés vers Fos-sur-Mer et Toulon, selon la capitainerie.",
    "Le syndicat réclame une hausse des salaires de 4 % pour tous les dockers du port.",
    "La direction du port propose 2 % et juge la grève disproportionnée, selon un communiqué.",
    "Les négociations avec la direction du port doivent reprendre jeudi 5 mars à Marseille.",
], "fr")
OTHER_NEWS = [
    _article("e1", "Wildfire near Perth forces evacuations", [
        "A bushfire east of Perth destroyed 14 homes on Tuesday, fire officials said.",
        "About 600 residents of Mundaring were told to leave before the wind turned.",
    ], "en"),
    _article("e2", "Rail strike halts trains in Belgium", [
        "Belgian rail unions stopped most trains on Tuesday in a dispute over pensions.",
        "The operator SNCB said only one train in four was running on the main lines.",
    ], "en"),
]


def test_a_french_watch_item_is_shown_as_written_and_marked() -> None:
    devs = [Development(id=f"d{i}", stories=[Story(articles=[a])])
            for i, a in enumerate([MARSEILLE, *OTHER_NEWS])]
    summary = ExtractiveBackend().summarise(devs, SummaryOptions())
    assert [s.text for s in summary.outlook] == [
        "[fr] Les négociations avec la direction du port doivent reprendre jeudi 5 mars à Marseille."]
    assert summary.outlook[0].citations[0].article_id == "m1"


def test_outlook_takes_each_language_by_its_own_words() -> None:
    german_wants = "Die Regierung will bis 2027 die Steuern für kleine Betriebe deutlich senken."
    german_ahead = "Der Bundestag wird am Donnerstag über die Steuersenkung abstimmen."
    pool = [Candidate(german_wants, ["de1"], 0, "de", score=2.0),
            Candidate(german_ahead, ["de2"], 1, "de", score=1.0)]
    assert [c.text for c in outlook([pool], set())] == [german_ahead]
