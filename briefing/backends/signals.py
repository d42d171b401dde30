"""Per-language words for the extractive backend's signals, kept as data in one place.

For each language the multilingual example and tests cover (French, German, Spanish,
Russian, Arabic, Chinese, Turkish): what marks a sentence as looking ahead (a future
tense or "is scheduled to"), what says when (weekdays, months, dates, "next week"),
what says that the time is past ("last Monday"), what attributes a statement
("according to", "said") and what reports that nothing was said ("did not respond to a
request for comment"). English keeps its own patterns in figures.py and ranking.py.

The lists are small and general news wording, never words of one story. A language
missing here simply gets none of these signals: nothing is guessed from English words
(German "will" means "wants", so it is no future marker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    """One language's signal patterns (compiled, case-insensitive unless noted)."""

    future: re.Pattern[str]  # a future tense or a scheduled / expected / planned marker
    when: re.Pattern[str]  # a time that may say when: weekday, date, month, year
    ahead: re.Pattern[str]  # a time that is itself ahead: tomorrow, next week, coming days
    past: re.Pattern[str]  # beside a time, makes it past: "last", "ago"
    attribution: re.Pattern[str]  # according to, said
    non_statement: re.Pattern[str]  # did not respond to a request for comment
    said_after: bool = False  # the verb of saying follows the time ("周四表示")


def _p(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_FR_MONTHS = (r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|"
              r"octobre|novembre|décembre|decembre")
_FR_DAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_DE_MONTHS = (r"Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|"
              r"November|Dezember")
_DE_DAYS = r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag"
_ES_MONTHS = (r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|"
              r"octubre|noviembre|diciembre")
_ES_DAYS = r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
_RU_MONTHS = (r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|"
              r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]")
_RU_DAYS = (r"понедельник|вторник|сред[уа]|четверг|пятниц[уа]|суббот[уа]|воскресенье")
_AR_MONTHS = (r"يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|"
              r"اكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين")
_AR_DAYS = r"الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد"
_TR_MONTHS = (r"ocak|şubat|subat|mart|nisan|mayıs|mayis|haziran|temmuz|ağustos|agustos|eylül|"
              r"eylul|ekim|kasım|kasim|aralık|aralik")
_TR_DAYS = r"pazartesi|salı|sali|çarşamba|carsamba|perşembe|persembe|cuma|cumartesi|pazar"
_YEAR = r"20\d\d"

LEXICONS: dict[str, Lexicon] = {
    "fr": Lexicon(
        # futur simple (3rd person: -era, -ira, -dra and the common irregular ones, lower
        # case so no name ending in "-dra" counts), "doit se réunir", "est prévu", "aura lieu"
        future=_p(r"\b(?:[a-zà-ÿ]+(?:er|ir|dr)(?:a|ont)|sera|seront|aura|auront|fera|feront|"
                  r"ira|iront|pourra|pourront|devra|devront|verra|verront|faudra)\b"
                  r"|(?i:\b(?:doit|doivent|devrait|devraient|prévoit|prévoient|compte|entend)\s+"
                  r"(?:se\s+|s'|s’)?[a-zà-ÿ]+(?:er|ir|re)\b"
                  r"|\b(?:est|sont)\s+(?:prévue?s?|programmée?s?|attendue?s?|convoquée?s?|"
                  r"fixée?s?)\b|\bdate\s+limite\b|\béchéance\b)", 0),
        when=_p(rf"\b(?:{_FR_DAYS})\b|\b\d{{1,2}}(?:er)?\s+(?:{_FR_MONTHS})\b"
                rf"|\b(?:en|d'ici|d’ici|fin|début)\s+(?:{_FR_MONTHS}|{_YEAR})\b"),
        ahead=_p(r"\bdemain\b|\b(?:semaine|mois|année|an)\s+prochaine?\b"
                 r"|\bprochaine?s?\s+(?:semaine|mois|jours|lundi|mardi|mercredi|jeudi|vendredi|"
                 r"samedi|dimanche)\b|\bd'ici\s+(?:à\s+)?(?:la\s+)?fin\b|\bd’ici\s+(?:à\s+)?"
                 r"(?:la\s+)?fin\b|\bdans\s+les\s+(?:prochains|jours|semaines)\b"),
        past=_p(r"\b(?:derni(?:er|ère)s?|passée?s?|hier|il\s+y\s+a)\b"),
        attribution=_p(r"\b(?:selon|d'après|d’après)\b"
                       r"|\b(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles|on))?\s+"
                       r"(?:déclaré|dit|indiqué|affirmé|annoncé|précisé|ajouté|expliqué|"
                       r"estimé|confirmé|démenti|assuré|souligné|averti|rapporté|rappelé|raconté|dénoncé)\b"
                       r"|\b(?:déclare|affirme|indique|annonce|précise|explique|assure|"
                       r"souligne)\b"),
        non_statement=_p(r"\bn['’](?:a|ont|avait|avaient)\s+pas\s+(?:répondu|pu\s+être\s+"
                         r"(?:joint|jointe|joints|contacté|vérifiée?s?|confirmée?s?)|souhaité\s+"
                         r"(?:commenter|réagir|s'exprimer|s’exprimer))"
                         r"|\bn['’]ont\s+pas\s+pu\s+être\s+vérifiée?s?\b"),
    ),
    "de": Lexicon(
        # "wird/werden ... abstimmen", "soll ... tagen", "ist geplant"; never "will" (wants)
        future=_p(r"\b(?:wird|werden|soll|sollen)\b|\b(?:geplant|angesetzt|vorgesehen|"
                  r"voraussichtlich|erwartet)\b|\bFrist\b|\bläuft\s+\S+\s+ab\b"),
        when=_p(rf"\b(?:{_DE_DAYS})\b|\b\d{{1,2}}\.\s*(?:{_DE_MONTHS})\b"
                rf"|\b(?:im|bis|Ende|Anfang|Mitte)\s+(?:{_DE_MONTHS}|{_YEAR})\b|\bbis\s+{_YEAR}\b"),
        ahead=_p(r"(?-i:\bmorgen\b)|\bübermorgen\b|\b(?:nächste[nrs]?|kommende[nrs]?)\s+"
                 r"(?:Woche|Monat|Jahr|Tagen|Wochen|Montag|Dienstag|Mittwoch|Donnerstag|"
                 r"Freitag|Samstag|Sonntag)\b|\bin\s+den\s+kommenden\b"),
        past=_p(r"\b(?:letzte[nrs]?|vergangene[nrs]?|vorige[nrs]?|gestern|vor\s+\w+\s+"
                r"(?:Tagen|Wochen|Monaten))\b"),
        attribution=_p(r"\b(?:laut|zufolge|nach\s+Angaben|sagte|sagten|sagt|erklärte|"
                       r"erklärten|berichtete|berichteten|betonte|warnte|warnten|bestätigte|"
                       r"dementierte|teilte|teilten|hieß\s+es|so\s+(?:der|die))\b"),
        non_statement=_p(r"\b(?:war|waren)\s+(?:für\s+eine\s+Stellungnahme\s+)?nicht\s+zu\s+"
                         r"erreichen\b|\b(?:reagierte|reagierten|antwortete|antworteten)\s+nicht"
                         r"\b|\b(?:wollte|wollten)\s+sich\s+(?:dazu\s+)?nicht\s+äußern\b"
                         r"|\bnicht\s+unabhängig\s+(?:überprüft|bestätigt)\b"
                         r"|\bließ\s+\S+\s+(?:Anfrage\s+)?unbeantwortet\b"),
    ),
    "es": Lexicon(
        # futuro simple ends in an accented -rá/-rán; "está previsto", "tiene previsto",
        # "va a votar"
        future=_p(r"\b[a-zñ]+r(?:á|án)\b|(?i:\b(?:está|están)\s+(?:previst[oa]s?|programad[oa]s?|"
                  r"convocad[oa]s?)\b|\b(?:tiene|tienen)\s+previsto\b|\b(?:prevé|prevén|planea|"
                  r"planean)\b|\b(?:va|van)\s+a\s+[a-zñ]+(?:ar|er|ir)\b|\bplazo\b)", 0),
        when=_p(rf"\b(?:{_ES_DAYS})\b|\b\d{{1,2}}\s+de\s+(?:{_ES_MONTHS})\b"
                rf"|\b(?:en|antes\s+de|a\s+finales\s+de|a\s+principios\s+de)\s+"
                rf"(?:{_ES_MONTHS}|{_YEAR})\b"),
        ahead=_p(r"(?<!esta\s)(?<!la\s)\bmañana\b(?!\s+del?\b)|\bpróxim[oa]s?\s+(?:semana|mes|año|días|"
                 r"semanas|lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b"
                 r"|\b(?:semana|mes|año)\s+(?:que\s+viene|próxim[oa])\b"),
        past=_p(r"\b(?:pasad[oa]s?|ayer|hace\s+\w+)\b"),
        attribution=_p(r"\b(?:según|de\s+acuerdo\s+con|dijo|dijeron|afirmó|afirmaron|declaró|"
                       r"declararon|indicó|señaló|aseguró|anunció|confirmó|negó|explicó|añadió|"
                       r"advirtió|advirtieron|informó|informaron)\b"),
        non_statement=_p(r"\bno\s+(?:respondió|respondieron|contestó|quiso\s+(?:comentar|"
                         r"hacer\s+comentarios)|pudo\s+ser\s+(?:contactad[oa]|localizad[oa])|"
                         r"pudieron\s+ser\s+(?:verificad[oa]s|confirmad[oa]s))\b"
                         r"|\bdeclinó\s+(?:hacer\s+)?comentar\w*"),
    ),
    "ru": Lexicon(
        future=_p(r"\b(?:состоится|состоятся|пройд[её]т|пройдут|будет|будут|планиру\w+|"
                  r"намерен[аоы]?|ожида\w+ся|должн[аыо]?|собер[её]тся|соберутся|провед[её]т|"
                  r"проведут|назначен[аоы]?|запланирован[аоы]?)\b|\bсрок\w*\b"),
        when=_p(rf"\b(?:в|во)\s+(?:{_RU_DAYS})\b|\b\d{{1,2}}\s+(?:{_RU_MONTHS})\b"
                rf"|\b(?:в|до|к)\s+{_YEAR}\b"),
        ahead=_p(r"\bзавтра\b|\b(?:на\s+следующей|на\s+будущей|на\s+этой)\s+неделе\b"
                 r"|\bв\s+(?:следующем|будущем)\s+(?:месяце|году)\b|\bв\s+ближайшие\b"),
        past=_p(r"\b(?:прошл\w+|минувш\w+|вчера|назад)\b"),
        attribution=_p(r"\b(?:по\s+словам|по\s+данным|по\s+сообщению|как\s+сообщает|сообщил[аи]?|"
                       r"заявил[аи]?|сказал[аи]?|отметил[аи]?|подчеркнул[аи]?|объявил[аи]?|"
                       r"подтвердил[аи]?|опроверг(?:ла|ли)?|добавил[аи]?|предупредил[аи]?)\b"),
        non_statement=_p(r"\bне\s+ответил[аи]?\b|\bотказал(?:ся|ась|ись)\s+от\s+комментари\w+"
                         r"|\bне\s+удалось\s+(?:связаться|независимо\s+проверить|проверить)"),
    ),
    "ar": Lexicon(
        # "من المقرر" (it is scheduled), "سيعقد" (will hold), "سوف" (will), "يتوقع"
        future=_p(r"من\s+المقرر|من\s+المتوقع|(?<!\w)(?:و|ف)?(?:سوف|سيعقد|ستعقد|سيتم|ستجري|"
                  r"سيجري|سيصوت|ستصوت|سيلتقي|ستلتقي|سينظر|ستنظر|يعتزم|تعتزم|يتوقع|"
                  r"يُتوقع|يزمع|تزمع)(?!\w)|موعد\s+نهائي|مهلة"),
        when=_p(rf"(?<!\w)(?:يوم\s+)?(?:{_AR_DAYS})(?!\w)|\d{{1,2}}\s+(?:من\s+)?(?:{_AR_MONTHS})"
                rf"(?!\w)|(?<!\w)(?:في|قبل|بحلول)\s+(?:{_AR_MONTHS}|{_YEAR})(?!\w)"),
        ahead=_p(r"(?<!\w)(?:غدا|غداً|غدًا)(?!\w)|(?:الأسبوع|الاسبوع|الشهر|العام)\s+(?:المقبل|"
                 r"القادم)|(?:الأيام|الايام)\s+(?:المقبلة|القادمة)"),
        past=_p(r"الماضي|الماضية|(?<!\w)أمس(?!\w)|(?<!\w)قبل\s+\S+\s+(?:أيام|أسابيع)"),
        attribution=_p(r"(?<!\w)(?:و|ف)?(?:قال|قالت|أفاد|أفادت|صرح|صرحت|أعلن|أعلنت|أكد|أكدت|"
                       r"ذكر|ذكرت|أوضح|أوضحت|وصف|وصفت|أضاف|أضافت|نفى|نفت|بحسب|حسب|وفقا|وفقاً|"
                       r"نقلا|نقلاً)(?!\w)"),
        non_statement=_p(r"(?<!\w)(?:و|ف)?لم\s+(?:يرد|ترد|يردوا|يستجب|تستجب|يتسن|يتسنّ|يتسنَ|"
                         r"يتسنَّ|يتمكن)(?!\w)|(?:رفض|رفضت)\s+التعليق"),
    ),
    "zh": Lexicon(
        # no word spaces: markers are matched as written; "将军" (general) is no future
        future=_p(r"将于|将在|将会|将要|即将|预计|定于|拟于|有望|计划(?=于|在|将|明|下|本)|将(?=[举召进开表投审])"
                  r"|截止|期限"),
        when=_p(r"星期[一二三四五六日天]|周[一二三四五六日]|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
                r"|\d{1,2}\s*月(?:底|初|中旬)?|" + _YEAR + r"\s*年"),
        ahead=_p(r"明天|明日|下周|下星期|下个?月|明年|下半年|未来几天|近日内|月底前|年底前"),
        past=_p(r"上周|上个?月|去年|昨天|昨日|已于|此前|前天"),
        attribution=_p(r"根据|(?<!数)据(?:悉|[^，。,]{0,10}?(?:称|说|报道|介绍|消息|透露))|表示|指出|宣布|证实|否认|透露|"
                       r"声称|援引|报道|(?<![小传听])说(?!明)"),
        non_statement=_p(r"(?:未|没有|并未)(?:回应|回复|置评|予置评)|拒绝(?:置评|评论)"
                         r"|无法(?:独立)?(?:核实|证实)"),
        said_after=True,
    ),
    "tr": Lexicon(
        # the future suffix -acak/-ecek ("toplanacak", "yapılacak"), "bekleniyor",
        # "planlanıyor"
        future=_p(r"\b\w+(?:acak|ecek)(?:lar|ler|tır|tir|dır|dir)?\b|\b\w*(?:bekleniyor|"
                  r"planlanıyor|öngörülüyor|hedefleniyor)\b|\bson\s+tarih\w*\b"),
        when=_p(rf"\b(?:{_TR_DAYS})(?:\s+günü)?\b|\b\d{{1,2}}\s+(?:{_TR_MONTHS})\w*"
                rf"|\b{_YEAR}['’]?(?:de|da|te|ta|e|a)?\b"),
        ahead=_p(r"\byarın\b|\bhaftaya\b|\b(?:gelecek|önümüzdeki)\s+(?:hafta|ay|yıl|gün)\w*"),
        past=_p(r"\b(?:geçen|geçtiğimiz|dün|önce)\b"),
        attribution=_p(r"\b\w*(?:e|a|ye|ya)\s+göre\b|\b(?:dedi|açıkladı|söyledi|bildirdi|"
                       r"belirtti|duyurdu|doğruladı|yalanladı|uyardı|aktardı|kaydetti|"
                       r"ifade\s+etti|iddia\s+etti|yaptığı\s+açıklamada)\b"),
        non_statement=_p(r"\b(?:yanıt|cevap)\s+vermedi\b|\byorum\s+yapmaktan\s+kaçındı\b"
                         r"|\bulaşılamadı\b|\bdoğrulanamadı\b"),
        said_after=True,
    ),
}


def lexicon(language: str | None) -> Lexicon | None:
    """The language's signal words, or None (English, or a language not covered)."""
    return LEXICONS.get((language or "en").split("-")[0].casefold())
